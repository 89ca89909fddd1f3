# Warnings live on an INTERFACE target linked PRIVATE, so they apply to our code only.
add_library(evs_warnings INTERFACE)
target_compile_options(evs_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wold-style-cast
  -Wnon-virtual-dtor -Woverloaded-virtual -Wnull-dereference -Wformat=2
  -Wimplicit-fallthrough -Wcast-align -Wunused -Wmisleading-indentation
  -Wduplicated-cond -Wduplicated-branches -Wlogical-op -Wuseless-cast)
if(EVS_WARNINGS_AS_ERRORS)
  target_compile_options(evs_warnings INTERFACE -Werror)
endif()
