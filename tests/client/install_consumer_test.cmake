# Installs the development component of a built mnrecords tree into a fresh
# prefix, then configures and builds examples/consumer against it with
# find_package(mnrecords CONFIG REQUIRED).
#
# cmake -DBINARY_DIR=<build> -DSOURCE_DIR=<repo> -DWORK_DIR=<scratch>
#       [-DBUILD_TYPE=...] -P install_consumer_test.cmake
foreach(var BINARY_DIR SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "${var} is required")
  endif()
endforeach()

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc
    OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
set(consumer_build ${WORK_DIR}/consumer-build)
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})

# Make sure what gets installed is up to date, then install only the
# development component (libraries, headers, protos, CMake package).
run(${CMAKE_COMMAND} --build ${BINARY_DIR} --target mnrecords_client
  mnrecords_proto)
run(${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${prefix}
  --component mnrecords_development)

foreach(f
    include/mnrecords/client/client.h
    include/clinic/microneedling/v1/treatment_records_service.grpc.pb.h
    share/mnrecords/proto/clinic/microneedling/v1/records.proto)
  if(NOT EXISTS ${prefix}/${f})
    message(FATAL_ERROR "not installed: ${f}")
  endif()
endforeach()
if(EXISTS ${prefix}/include/mnrecords/client/internal)
  message(FATAL_ERROR "internal headers must not be installed")
endif()

if(NOT BUILD_TYPE)
  set(BUILD_TYPE RelWithDebInfo)
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/consumer -B ${consumer_build}
  -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=${BUILD_TYPE})
run(${CMAKE_COMMAND} --build ${consumer_build} -j2)

# The consumer runs; it exits 1 with UNAVAILABLE when no server listens.
execute_process(COMMAND ${consumer_build}/mnrecords_consumer
  --server=127.0.0.1:1 --clinic=c1
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1 OR NOT err MATCHES "UNAVAILABLE")
  message(FATAL_ERROR "consumer: exit ${rc}\n${out}\n${err}")
endif()
message(STATUS "installed package consumed from ${prefix}")
