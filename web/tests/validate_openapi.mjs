// node validate_openapi.mjs FILE: validates an OpenAPI document with @apidevtools/swagger-parser
// (the schema of its OpenAPI version, plus the $refs and the rules the schema cannot state).
// Exits 1 with the validator's message when the document is invalid.
import SwaggerParser from '@apidevtools/swagger-parser';

const file = process.argv[2];
if (!file) {
  console.error('usage: node validate_openapi.mjs FILE');
  process.exit(2);
}
try {
  const api = await SwaggerParser.validate(file);
  const operations = Object.values(api.paths).flatMap((item) => Object.keys(item));
  console.log(`${file}: valid OpenAPI ${api.openapi}, ${Object.keys(api.paths).length} paths, ` +
              `${operations.length} operations`);
} catch (error) {
  console.error(`${file}: invalid: ${error.message}`);
  process.exit(1);
}
