# Strict warnings for project code only; generated protobuf code gets the compiler's defaults.
function(pact_strict_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2)
  if(PACT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
