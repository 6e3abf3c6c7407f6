# Runs the mnrec binary and checks exit status and the one-line stderr.
# cmake -DMNREC=<path> -P mnrec_exit_codes_test.cmake
function(expect_run code stderr_regex)
  execute_process(COMMAND ${MNREC} ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL code)
    message(FATAL_ERROR "mnrec ${ARGN}: exit ${rc}, want ${code}\n${err}")
  endif()
  if(NOT err MATCHES "${stderr_regex}")
    message(FATAL_ERROR "mnrec ${ARGN}: stderr '${err}' !~ '${stderr_regex}'")
  endif()
  string(REGEX MATCHALL "\n" lines "${err}")
  list(LENGTH lines n)
  if(n GREATER 1)
    message(FATAL_ERROR "mnrec ${ARGN}: more than one stderr line:\n${err}")
  endif()
endfunction()

expect_run(0 "^$" --help)
expect_run(2 "^mnrec: missing command")
expect_run(2 "^mnrec: unknown command 'frobnicate'" frobnicate)
expect_run(2 "^mnrec: unknown command 'delete' for patient" patient delete)
expect_run(2 "^mnrec: unknown flag --bogus" patient list --bogus)
expect_run(2 "^mnrec: --fitzpatrick: unknown value 'VII'"
  patient create --clinic=c1 --fitzpatrick=VII)
expect_run(2 "^mnrec: --area: " session log --course=clinics/c/patients/p/courses/k
  --area=cheek:left:deep:3)
expect_run(2 "^mnrec: --update_mask is required"
  session amend clinics/c/patients/p/courses/k/sessions/s --notes=x)
expect_run(2 "^mnrec: --update_mask names 'notes' but no new value"
  session amend clinics/c/patients/p/courses/k/sessions/s --update_mask=notes
  --amendment_kind=addendum)
expect_run(2 "^mnrec: --amendment_kind is required"
  session amend clinics/c/patients/p/courses/k/sessions/s --update_mask=notes
  --notes=x)
expect_run(2 "^mnrec: --clinic is required" patient list)
# Nothing listens on port 1: a server-side (transport) error, exit 1.
expect_run(1 "^mnrec: UNAVAILABLE: " --server=127.0.0.1:1 --deadline=5s health)
expect_run(2 "^mnrec: unknown command 'tail' for changes" changes tail)
expect_run(2 "^mnrec: --clinic is required" changes list)
expect_run(2 "^mnrec: --since and --from_now exclude each other"
  changes watch --clinic=c1 --since=c9 --from_now)
expect_run(2 "^mnrec: --kinds: unknown value 'visit'"
  changes list --clinic=c1 --kinds=visit)
