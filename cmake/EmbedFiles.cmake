# evs_embed_file(TARGET SYMBOL NAMESPACE INPUT): adds to TARGET a source, generated at build time
# from INPUT, that defines `const std::string_view NAMESPACE::SYMBOL` holding INPUT's bytes.
# Files served by the programs live in the binary, so nothing is read from disk at run time.
function(evs_embed_file target symbol namespace input)
  set(output ${CMAKE_CURRENT_BINARY_DIR}/embedded/${symbol}.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DNAMESPACE=${namespace}
            -DSYMBOL=${symbol} -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${input}"
    VERBATIM)
  target_sources(${target} PRIVATE ${output})
endfunction()
