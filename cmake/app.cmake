# SPDX-License-Identifier: Apache-2.0
# The calls an application's CMakeLists.txt written for the reference may
# make, on Pagoda's build. Included from CMakeLists.txt before the app's
# CMakeLists.txt; pagoda_app_finish() runs after it.
#
#   zephyr_linker_sources(LOCATION file.ld...)
#       Linker-script fragments, preprocessed with the image's script (the
#       section macros of linker/linker-tool.h, CONFIG_ symbols). LOCATION:
#         SECTIONS       whole output sections, in the image's data
#                        segment, each group starting and ending on a page
#         RAM_SECTIONS,  the same (the reference's RAM-only locations)
#         DATA_SECTIONS
#         RODATA         input-section lines inside .rodata
#         NOINIT         input-section lines inside .noinit
#       Relative paths are the app folder's. Anything else is an error.
#   zephyr_syscall_header(file.h...)
#       Headers to read for __syscall declarations, besides the app folder
#       that CONFIG_APPLICATION_DEFINED_SYSCALL reads.

set(PAGODA_LINKER_LOCATIONS SECTIONS RAM_SECTIONS DATA_SECTIONS RODATA NOINIT)
foreach(location ${PAGODA_LINKER_LOCATIONS})
  set(PAGODA_LINKER_FRAGMENTS_${location} "")
endforeach()
set(PAGODA_SYSCALL_HEADERS "")

function(zephyr_linker_sources location)
  if(NOT location IN_LIST PAGODA_LINKER_LOCATIONS)
    message(FATAL_ERROR "zephyr_linker_sources(${location} ...): Pagoda places fragments at "
                        "${PAGODA_LINKER_LOCATIONS} only")
  endif()
  cmake_parse_arguments(arg "" "SORT_KEY;PRIORITY" "" ${ARGN})
  if(arg_SORT_KEY OR arg_PRIORITY)
    message(FATAL_ERROR "zephyr_linker_sources(): Pagoda keeps fragments in the order given "
                        "(SORT_KEY and PRIORITY are not supported)")
  endif()
  set(list ${PAGODA_LINKER_FRAGMENTS_${location}})
  foreach(file ${arg_UNPARSED_ARGUMENTS})
    get_filename_component(path ${file} ABSOLUTE BASE_DIR ${APP_DIR})
    if(NOT EXISTS ${path})
      message(FATAL_ERROR "zephyr_linker_sources(${location}): ${path} does not exist")
    endif()
    list(APPEND list ${path})
  endforeach()
  set(PAGODA_LINKER_FRAGMENTS_${location} ${list} PARENT_SCOPE)
endfunction()

function(zephyr_syscall_header)
  set(list ${PAGODA_SYSCALL_HEADERS})
  foreach(file ${ARGN})
    get_filename_component(path ${file} ABSOLUTE BASE_DIR ${APP_DIR})
    list(APPEND list ${path})
  endforeach()
  set(PAGODA_SYSCALL_HEADERS ${list} PARENT_SCOPE)
endfunction()

# Writes a file only when its contents change, so nothing rebuilds for nothing.
function(pagoda_write_if_changed path text)
  file(WRITE ${path}.tmp "${text}")
  configure_file(${path}.tmp ${path} COPYONLY)
endfunction()

macro(pagoda_app_finish)
  # One generated file per location, #included by linker/common.ld.
  set(PAGODA_LINKER_FRAGMENT_DEPENDS "")
  foreach(location ${PAGODA_LINKER_LOCATIONS})
    string(TOLOWER ${location} name)
    string(REPLACE "_" "-" name ${name})
    set(text "/* Generated: zephyr_linker_sources(${location}) fragments. */\n")
    foreach(path ${PAGODA_LINKER_FRAGMENTS_${location}})
      string(APPEND text "#include \"${path}\"\n")
      list(APPEND PAGODA_LINKER_FRAGMENT_DEPENDS ${path})
    endforeach()
    pagoda_write_if_changed(${GENERATED_INCLUDE}/snippets-${name}.ld "${text}")
  endforeach()

  # System calls declared by the app (CONFIG_APPLICATION_DEFINED_SYSCALL).
  set(syscall_inputs ${PAGODA_SYSCALL_HEADERS})
  if(CONFIG_APPLICATION_DEFINED_SYSCALL)
    file(GLOB_RECURSE app_headers ${APP_DIR}/*.h)
    list(APPEND syscall_inputs ${app_headers})
  endif()
  if(syscall_inputs)
    execute_process(
      COMMAND ${PYTHON} ${PAGODA_BASE}/scripts/gen_app_syscalls.py --out ${GENERATED_INCLUDE}
              ${syscall_inputs}
      RESULT_VARIABLE syscalls_result)
    if(NOT syscalls_result EQUAL 0)
      message(FATAL_ERROR "gen_app_syscalls.py failed (see the messages above)")
    endif()
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${syscall_inputs}
                 ${PAGODA_BASE}/scripts/gen_app_syscalls.py)
  endif()
endmacro()
