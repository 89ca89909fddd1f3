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

# evs_content_version(VAR FILE...): sets VAR to 16 hex digits of a hash of the FILEs' contents,
# and configures again when one changes. A page names its files with it in the query, so they
# can be cached for long and still change with the build.
function(evs_content_version var)
  set(hashes "")
  foreach(file IN LISTS ARGN)
    file(SHA256 ${file} hash)
    string(APPEND hashes ${hash})
  endforeach()
  string(SHA256 hash "${hashes}")
  string(SUBSTRING ${hash} 0 16 version)
  set(${var} ${version} PARENT_SCOPE)
  set_property(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ARGN})
endfunction()
