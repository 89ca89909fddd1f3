# cmake -DINPUT=file -DOUTPUT=file.cpp -DNAMESPACE=ns -DSYMBOL=name -P embed_file.cmake
# Writes a C++ source defining `const std::string_view ns::name` with the bytes of INPUT, so the
# file is part of the binary and nothing is read at run time.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp" "// Generated from ${name} by cmake/embed_file.cmake; do not edit.
#include <string_view>

namespace ${NAMESPACE} {
namespace {
// One more byte than the file, so that an empty file is still a valid array.
const unsigned char bytes[] = {
${bytes}0x00};
}  // namespace
extern const std::string_view ${SYMBOL};
const std::string_view ${SYMBOL}{reinterpret_cast<const char*>(bytes), ${size}};
}  // namespace ${NAMESPACE}
")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
