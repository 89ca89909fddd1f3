# Warnings live on an INTERFACE target linked PRIVATE, so they apply to our code only.
add_library(evs_warnings INTERFACE)
target_compile_options(evs_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
  -Wnon-virtual-dtor -Woverloaded-virtual -Wformat=2
  -Wimplicit-fallthrough -Wcast-align -Wunused -Wmisleading-indentation)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(evs_warnings INTERFACE
    -Wduplicated-cond -Wduplicated-branches -Wlogical-op -Wuseless-cast
    # GCC 12 reports these from Boost.Asio and libstdc++ code inlined at -O2 and above, where
    # the paths it imagines cannot happen (GCC bugs 105329, 105651); they say nothing of ours.
    -Wno-restrict)
endif()
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  target_compile_options(evs_warnings INTERFACE -Wnull-dereference)
endif()
if(EVS_WARNINGS_AS_ERRORS)
  target_compile_options(evs_warnings INTERFACE -Werror)
endif()
