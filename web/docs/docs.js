// Starts Swagger UI on this consumer's own document. A separate file rather than an inline
// script, so that the page's Content-Security-Policy can allow scripts of this origin only.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The default sends the document to validator.swagger.io; the page talks to this host only.
  validatorUrl: null,
});
