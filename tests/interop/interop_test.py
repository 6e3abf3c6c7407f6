#!/usr/bin/python3
"""Interop test: a Python EHR client against the shipped mnrecords_server.

Proves that a client in another language, built only from the shipped
.proto files, can use the API: health, reflection, the patient -> course
-> session flow with idempotent retries and the documented errors, and
following a clinic's change feed (WatchChanges, ListChanges).

Run with Debian's interpreter (/usr/bin/python3: python3-grpcio and
python3-protobuf are visible only to it), e.g.

  /usr/bin/python3 tests/interop/interop_test.py \
      --server build/server/mnrecords_server --proto_root proto

Options (or environment variables):
  --server PATH           MNRECORDS_SERVER      the server binary (required)
  --proto_root DIR        MNRECORDS_PROTO_ROOT  holds clinic/microneedling/v1
  --grpc_proto_dir DIR    GRPC_PROTO_DIR        default /usr/share/grpc-proto
  --googleapis_dir DIR    GOOGLEAPIS_PROTO_DIR  holds google/rpc/*.proto,
                          default Debian's (golang-github-gogo-googleapis-dev)
  --protobuf_include DIR  PROTOBUF_INCLUDE      default /usr/include
  --protoc PATH           PROTOC                default protoc
  --grpc_python_plugin P  GRPC_PYTHON_PLUGIN    default /usr/bin/grpc_python_plugin
Any other arguments go to unittest (e.g. -v, or a test name).
"""

import argparse
import collections
import glob
import hashlib
import importlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

try:
    import grpc
    import google
    from google.protobuf import timestamp_pb2
except ImportError as e:  # Fail loudly: a missing package is not a pass.
    sys.stderr.write(
        "interop_test: %s\nRun with /usr/bin/python3 and install "
        "python3-grpcio python3-protobuf (Debian's grpc is visible only "
        "to /usr/bin/python3).\n" % e)
    sys.exit(2)

CLINIC = "clinics/interop"
PATIENT_SYSTEM = "urn:oid:1.2.36.146.595.217.0.1"
RPC_TIMEOUT_S = 10
STARTUP_TIMEOUT_S = 10
SHUTDOWN_TIMEOUT_S = 20
OUTPUT_ONLY_SESSION_FIELDS = ("name", "create_time", "revision", "etag")

# Filled in by main() from the command line / environment.
CONFIG = {}

# The server config lists one EHR principal of the interop clinic with this
# fresh token (only its SHA-256 goes into the file).
TOKEN = "interop-" + uuid.uuid4().hex


class _CallDetails(collections.namedtuple(
        "_CallDetails", ("method", "timeout", "metadata", "credentials",
                         "wait_for_ready", "compression")),
                   grpc.ClientCallDetails):
    pass


class _BearerToken(grpc.UnaryUnaryClientInterceptor,
                   grpc.UnaryStreamClientInterceptor,
                   grpc.StreamStreamClientInterceptor):
    """Adds `authorization: Bearer <token>` to every call."""

    def __init__(self, token):
        self._token = token

    def _details(self, d):
        metadata = list(d.metadata or []) + [
            ("authorization", "Bearer " + self._token)]
        return _CallDetails(d.method, d.timeout, metadata, d.credentials,
                            d.wait_for_ready, d.compression)

    def intercept_unary_unary(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation, details, request):
        return continuation(self._details(details), request)

    def intercept_stream_stream(self, continuation, details, requests):
        return continuation(self._details(details), requests)


def _new_request_id():
    return "interop-" + uuid.uuid4().hex  # 41 chars of [A-Za-z0-9-]


def _unique_suffix():
    return uuid.uuid4().hex[:12]


class InteropTest(unittest.TestCase):
    """One server process for the whole class; each test makes its own data."""

    maxDiff = None  # show whole messages when a round trip differs

    # ---- Fixture -----------------------------------------------------------

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mnrecords_interop_")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        cls.server = None
        cls.channel = None
        # Safety net if setUpClass fails half-way (tearDownClass then does not
        # run): never leave a server behind.
        cls.addClassCleanup(cls._kill_server_if_running)

        cls._generate_stubs()
        cls._start_server()

        cls.plain_channel = grpc.insecure_channel("127.0.0.1:%d" % cls.port)
        grpc.channel_ready_future(cls.plain_channel).result(
            timeout=RPC_TIMEOUT_S)
        cls.channel = grpc.intercept_channel(cls.plain_channel,
                                             _BearerToken(TOKEN))
        cls.records = cls.records_grpc.TreatmentRecordsStub(cls.channel)
        cls.changes = cls.changes_grpc.ChangeFeedStub(cls.channel)

    @classmethod
    def tearDownClass(cls):
        if cls.channel is not None:
            cls.plain_channel.close()
        server, cls.server = cls.server, None
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=SHUTDOWN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise AssertionError(
                "server did not stop within %ds of SIGTERM\n%s"
                % (SHUTDOWN_TIMEOUT_S, cls._server_log()))
        if code != 0:
            raise AssertionError("server exited with %r after SIGTERM\n%s"
                                 % (code, cls._server_log()))

    @classmethod
    def _kill_server_if_running(cls):
        if cls.server is not None and cls.server.poll() is None:
            cls.server.kill()
            cls.server.wait()

    @classmethod
    def _server_log(cls):
        try:
            with open(cls.log_path, encoding="utf-8", errors="replace") as f:
                return "---- server output ----\n" + f.read()
        except OSError:
            return "(no server output)"

    @classmethod
    def _generate_stubs(cls):
        out = os.path.join(cls.tmp, "gen")
        os.mkdir(out)
        proto_root = CONFIG["proto_root"]
        grpc_proto_dir = CONFIG["grpc_proto_dir"]
        api = sorted(
            os.path.relpath(p, proto_root) for p in glob.glob(
                os.path.join(proto_root, "clinic/microneedling/v1/*.proto")))
        if not api:
            raise AssertionError("no clinic/microneedling/v1/*.proto under %s"
                                 % proto_root)
        # The error details every error carries (google.rpc.Status in the
        # grpc-status-details-bin trailer), from the .proto files the
        # package ships beside the API's.
        files = api + ["grpc/health/v1/health.proto",
                       "grpc/reflection/v1alpha/reflection.proto",
                       "google/rpc/status.proto",
                       "google/rpc/error_details.proto"]
        command = [
            CONFIG["protoc"],
            "-I" + proto_root, "-I" + grpc_proto_dir,
            "-I" + CONFIG["googleapis_dir"],
            "-I" + CONFIG["protobuf_include"],
            "--python_out=" + out, "--grpc_out=" + out,
            "--plugin=protoc-gen-grpc=" + CONFIG["grpc_python_plugin"],
        ] + files
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            raise AssertionError("protoc failed (%d): %s\n%s%s" % (
                run.returncode, " ".join(command), run.stdout, run.stderr))

        sys.path.insert(0, out)
        # grpc/health and grpc/reflection are generated under the name of the
        # installed `grpc` package; let that package find them in `out` too.
        grpc.__path__.append(os.path.join(out, "grpc"))
        google.__path__.append(os.path.join(out, "google"))
        importlib.invalidate_caches()

        v1 = "clinic.microneedling.v1."
        cls.common_pb2 = importlib.import_module(v1 + "common_pb2")
        cls.records_pb2 = importlib.import_module(v1 + "records_pb2")
        cls.records_svc_pb2 = importlib.import_module(
            v1 + "treatment_records_service_pb2")
        cls.records_grpc = importlib.import_module(
            v1 + "treatment_records_service_pb2_grpc")
        importlib.import_module(v1 + "consents_service_pb2_grpc")
        cls.changes_pb2 = importlib.import_module(
            v1 + "change_feed_service_pb2")
        cls.changes_grpc = importlib.import_module(
            v1 + "change_feed_service_pb2_grpc")
        cls.error_reason_pb2 = importlib.import_module(v1 + "error_reason_pb2")
        cls.rpc_status_pb2 = importlib.import_module("google.rpc.status_pb2")
        cls.error_details_pb2 = importlib.import_module(
            "google.rpc.error_details_pb2")
        cls.health_pb2 = importlib.import_module("grpc.health.v1.health_pb2")
        cls.health_grpc = importlib.import_module(
            "grpc.health.v1.health_pb2_grpc")
        cls.reflection_pb2 = importlib.import_module(
            "grpc.reflection.v1alpha.reflection_pb2")
        cls.reflection_grpc = importlib.import_module(
            "grpc.reflection.v1alpha.reflection_pb2_grpc")

    @classmethod
    def _start_server(cls):
        port_file = os.path.join(cls.tmp, "port")
        cls.log_path = os.path.join(cls.tmp, "server.log")
        # One EHR principal of the interop clinic, and the core API without
        # the protocol plugin (its rules are tested in tests/plugins): the
        # requests here log sessions without consents.
        config = os.path.join(cls.tmp, "config.textproto")
        with open(config, "w", encoding="ascii") as f:
            f.write('principals { id: "interop-ehr" role: ROLE_EHR_SYSTEM '
                    'clinics: "%s" token_sha256: "%s" }\n'
                    % (CLINIC.split("/")[1],
                       hashlib.sha256(TOKEN.encode()).hexdigest()))
            f.write('plugins { name: "microneedling-protocol" enabled: false }\n')
        command = [CONFIG["server"], "--listen=127.0.0.1:0",
                   "--config=" + config,
                   "--db=" + os.path.join(cls.tmp, "interop.db"),
                   "--port_file=" + port_file]
        with open(cls.log_path, "wb") as log:
            cls.server = subprocess.Popen(command, stdin=subprocess.DEVNULL,
                                          stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not os.path.exists(port_file):
            if cls.server.poll() is not None:
                raise AssertionError("server exited with %r before serving\n%s"
                                     % (cls.server.returncode,
                                        cls._server_log()))
            if time.monotonic() > deadline:
                raise AssertionError("no port file after %ds\n%s"
                                     % (STARTUP_TIMEOUT_S, cls._server_log()))
            time.sleep(0.05)
        with open(port_file, encoding="ascii") as f:
            cls.port = int(f.read().strip())
        if not 0 < cls.port < 65536:
            raise AssertionError("bad port in port file: %d" % cls.port)

    # ---- Request builders (mirror tests/support/fixtures.cc) ---------------

    def create_patient(self):
        pb = self.records_pb2
        request = self.records_svc_pb2.CreatePatientRequest(
            parent=CLINIC,
            patient=pb.Patient(
                identifiers=[pb.PatientIdentifier(
                    system=PATIENT_SYSTEM, value="MRN-" + _unique_suffix())],
                fitzpatrick_skin_type=pb.FITZPATRICK_SKIN_TYPE_III),
            request_id=_new_request_id())
        patient = self.records.CreatePatient(request, timeout=RPC_TIMEOUT_S)
        self.assertTrue(patient.name.startswith(CLINIC + "/patients/"),
                        patient.name)
        self.assertEqual(list(patient.identifiers),
                         list(request.patient.identifiers))
        self.assertEqual(patient.fitzpatrick_skin_type,
                         pb.FITZPATRICK_SKIN_TYPE_III)
        return patient

    def create_course(self, patient_name):
        pb, common = self.records_pb2, self.common_pb2
        request = self.records_svc_pb2.CreateCourseRequest(
            parent=patient_name,
            course=pb.TreatmentCourse(
                indications=[pb.INDICATION_ACNE_SCARS],
                treatment_areas=[common.BodySite(
                    area=common.BODY_AREA_CHEEK,
                    laterality=common.LATERALITY_BILATERAL)],
                planned_session_count=3,
                planned_interval_min_days=28,
                planned_interval_max_days=42,
                responsible_clinician="dr-lee"),
            request_id=_new_request_id())
        course = self.records.CreateCourse(request, timeout=RPC_TIMEOUT_S)
        self.assertTrue(course.name.startswith(patient_name + "/courses/"),
                        course.name)
        return course

    def session_request(self, course_name):
        pb, common = self.records_pb2, self.common_pb2
        # Full nanosecond precision: the Timestamp must come back unchanged.
        performed_at = timestamp_pb2.Timestamp()
        performed_at.FromNanoseconds(time.time_ns() - 3600 * 10**9)
        session = pb.TreatmentSession(
            status=pb.SESSION_STATUS_COMPLETED,
            performed_at=performed_at,
            duration_minutes=45,
            clinician="dr-lee",
            device=pb.Device(model="Pen A6"),
            cartridge=pb.NeedleCartridge(model="12-needle", lot="LOT-2026-11",
                                         needle_count=12),
            treated_areas=[
                pb.TreatedArea(
                    site=common.BodySite(area=common.BODY_AREA_CHEEK,
                                         laterality=laterality),
                    needle_depth_mm=1.25, passes=3)
                for laterality in (common.LATERALITY_LEFT,
                                   common.LATERALITY_RIGHT)],
            numbing=pb.NumbingAgent(product="lidocaine 4% cream",
                                    contact_minutes=30),
            topicals_applied=["hyaluronic acid serum"],
            prep_check_in=pb.PrepCheckIn(
                sun_exposure_last_48h=pb.PrepCheckIn.ANSWER_NO,
                skin_clean=pb.PrepCheckIn.ANSWER_YES),
            immediate_response=pb.ImmediateResponse(
                erythema=pb.ERYTHEMA_GRADE_MILD,
                pinpoint_bleeding=pb.PINPOINT_BLEEDING_MINIMAL),
            adverse_events_assessment=pb.ADVERSE_EVENTS_ASSESSMENT_NONE,
            notes="Verträglich – gut")
        return self.records_svc_pb2.LogSessionRequest(
            parent=course_name, session=session, request_id=_new_request_id())

    def new_course(self):
        return self.create_course(self.create_patient().name)

    def list_sessions(self, course_name):
        response = self.records.ListSessions(
            self.records_svc_pb2.ListSessionsRequest(parent=course_name,
                                                     page_size=100),
            timeout=RPC_TIMEOUT_S)
        self.assertEqual(response.next_page_token, "")
        return list(response.sessions)

    def assert_rpc_error(self, code, call, *args):
        with self.assertRaises(grpc.RpcError) as caught:
            call(*args, timeout=RPC_TIMEOUT_S)
        error = caught.exception
        self.assertEqual(error.code(), code,
                         "%s: %s" % (error.code(), error.details()))
        return error

    def error_details(self, error):
        """The google.rpc.Status in the error's grpc-status-details-bin
        trailer, with its details unpacked: {message type name: message}."""
        trailer = dict(error.trailing_metadata() or ())
        self.assertIn("grpc-status-details-bin", trailer,
                      "the error carries no details: %s" % error.details())
        status = self.rpc_status_pb2.Status.FromString(
            trailer["grpc-status-details-bin"])
        self.assertEqual(status.code, error.code().value[0])
        self.assertEqual(status.message, error.details())
        unpacked = {}
        for any_detail in status.details:
            for name in ("ErrorInfo", "BadRequest", "PreconditionFailure"):
                message = getattr(self.error_details_pb2, name)()
                if any_detail.Unpack(message):
                    unpacked[name] = message
        self.assertIn("ErrorInfo", unpacked)
        self.assertEqual(unpacked["ErrorInfo"].domain, "mnrecords.clinic")
        return unpacked

    @staticmethod
    def without_output_only(session):
        copy = type(session)()
        copy.CopyFrom(session)
        for field in OUTPUT_ONLY_SESSION_FIELDS:
            copy.ClearField(field)
        return copy

    # ---- Tests ---------------------------------------------------------------

    def test_1_health_check_serving(self):
        health = self.health_grpc.HealthStub(self.channel)
        response = health.Check(self.health_pb2.HealthCheckRequest(service=""),
                                timeout=RPC_TIMEOUT_S)
        self.assertEqual(response.status,
                         self.health_pb2.HealthCheckResponse.SERVING)

    def test_1_health_needs_no_token_but_records_do(self):
        health = self.health_grpc.HealthStub(self.plain_channel)
        response = health.Check(self.health_pb2.HealthCheckRequest(service=""),
                                timeout=RPC_TIMEOUT_S)
        self.assertEqual(response.status,
                         self.health_pb2.HealthCheckResponse.SERVING)
        records = self.records_grpc.TreatmentRecordsStub(self.plain_channel)
        request = self.records_svc_pb2.ListPatientsRequest(parent=CLINIC)
        with self.assertRaises(grpc.RpcError) as no_token:
            records.ListPatients(request, timeout=RPC_TIMEOUT_S)
        self.assertEqual(no_token.exception.code(),
                         grpc.StatusCode.UNAUTHENTICATED)
        with self.assertRaises(grpc.RpcError) as bad_token:
            records.ListPatients(request, timeout=RPC_TIMEOUT_S,
                                 metadata=[("authorization", "Bearer nope")])
        self.assertEqual(bad_token.exception.code(),
                         grpc.StatusCode.UNAUTHENTICATED)
        with self.assertRaises(grpc.RpcError) as other_clinic:
            self.records.ListPatients(
                self.records_svc_pb2.ListPatientsRequest(
                    parent="clinics/elsewhere"), timeout=RPC_TIMEOUT_S)
        self.assertEqual(other_clinic.exception.code(),
                         grpc.StatusCode.PERMISSION_DENIED)
        reflection = self.reflection_grpc.ServerReflectionStub(
            self.plain_channel)
        with self.assertRaises(grpc.RpcError):
            list(reflection.ServerReflectionInfo(
                iter([self.reflection_pb2.ServerReflectionRequest(
                    list_services="")]), timeout=RPC_TIMEOUT_S))

    def test_2_reflection_lists_services(self):
        rpb = self.reflection_pb2
        stub = self.reflection_grpc.ServerReflectionStub(self.channel)
        responses = list(stub.ServerReflectionInfo(
            iter([rpb.ServerReflectionRequest(list_services=""),
                  rpb.ServerReflectionRequest(
                      file_containing_symbol=
                      "clinic.microneedling.v1.TreatmentRecords")]),
            timeout=RPC_TIMEOUT_S))
        self.assertEqual(len(responses), 2, responses)

        listed = responses[0]
        self.assertEqual(listed.WhichOneof("message_response"),
                         "list_services_response", listed)
        names = {s.name for s in listed.list_services_response.service}
        for expected in ("clinic.microneedling.v1.TreatmentRecords",
                         "clinic.microneedling.v1.Consents",
                         "grpc.health.v1.Health"):
            self.assertIn(expected, names)

        # An EHR can also fetch the schema itself from the server.
        files = responses[1]
        self.assertEqual(files.WhichOneof("message_response"),
                         "file_descriptor_response", files)
        from google.protobuf import descriptor_pb2
        served = set()
        for raw in files.file_descriptor_response.file_descriptor_proto:
            fd = descriptor_pb2.FileDescriptorProto.FromString(raw)
            served.add(fd.name)
            if fd.name.endswith("treatment_records_service.proto"):
                methods = {m.name for s in fd.service for m in s.method}
                self.assertTrue({"CreatePatient", "LogSession", "GetSession",
                                 "ListSessions"} <= methods, methods)
        self.assertIn(
            "clinic/microneedling/v1/treatment_records_service.proto", served)

    def test_3_session_round_trip(self):
        course = self.new_course()
        request = self.session_request(course.name)
        logged = self.records.LogSession(request, timeout=RPC_TIMEOUT_S)
        self.assertTrue(logged.name.startswith(course.name + "/sessions/"),
                        logged.name)

        got = self.records.GetSession(
            self.records_svc_pb2.GetSessionRequest(name=logged.name),
            timeout=RPC_TIMEOUT_S)
        self.assertEqual(got.name, logged.name)
        self.assertEqual(got.revision.revision_id, 1)
        self.assertFalse(got.revision.HasField("amendment"))
        self.assertNotEqual(got.etag, "")
        self.assertTrue(got.HasField("create_time"))
        # Every field sent comes back exactly (incl. 1.25 mm, the enums, the
        # timestamp and the non-ASCII notes); nothing else is added.
        self.assertEqual(self.without_output_only(got), request.session)
        self.assertEqual(got.notes, "Verträglich – gut")
        self.assertEqual(got.treated_areas[0].needle_depth_mm, 1.25)
        self.assertEqual(got, logged)

        sessions = self.list_sessions(course.name)
        self.assertEqual(len(sessions), 1, [s.name for s in sessions])
        self.assertEqual(sessions[0], got)

    def test_4_idempotent_retry(self):
        course = self.new_course()
        request = self.session_request(course.name)
        first = self.records.LogSession(request, timeout=RPC_TIMEOUT_S)

        retry = self.records.LogSession(request, timeout=RPC_TIMEOUT_S)
        self.assertEqual(retry.name, first.name)
        # "a retry with the same id and the same request returns the first
        # result": the very same record, revision and etag.
        self.assertEqual(retry, first)
        self.assertEqual(retry.revision.revision_id, 1)
        self.assertEqual([s.name for s in self.list_sessions(course.name)],
                         [first.name])

        changed = type(request)()
        changed.CopyFrom(request)
        changed.session.notes = "Verträglich – gut, leichte Rötung"
        error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT,
                                      self.records.LogSession, changed)
        self.assertIn("request_id", error.details())
        self.assertEqual([s.name for s in self.list_sessions(course.name)],
                         [first.name])

    def test_5_errors(self):
        course = self.new_course()
        request = self.session_request(course.name)
        request.session.treated_areas[0].needle_depth_mm = 4.0
        error = self.assert_rpc_error(grpc.StatusCode.INVALID_ARGUMENT,
                                      self.records.LogSession, request)
        self.assertIn("session.treated_areas[0].needle_depth_mm",
                      error.details())
        details = self.error_details(error)
        self.assertEqual(details["ErrorInfo"].reason,
                         self.error_reason_pb2.ErrorReason.Name(
                             self.error_reason_pb2.INVALID_FIELD))
        self.assertEqual(
            [v.field for v in details["BadRequest"].field_violations],
            ["session.treated_areas[0].needle_depth_mm"])
        self.assertIn("4", details["BadRequest"].field_violations[0]
                      .description)
        self.assertEqual(self.list_sessions(course.name), [])

        missing = CLINIC + "/patients/no-such-patient-" + _unique_suffix()
        error = self.assert_rpc_error(
            grpc.StatusCode.NOT_FOUND, self.records.GetPatient,
            self.records_svc_pb2.GetPatientRequest(name=missing))
        self.assertIn(missing, error.details())
        details = self.error_details(error)
        self.assertEqual(details["ErrorInfo"].reason, "RECORD_NOT_FOUND")
        self.assertNotIn("BadRequest", details)

    def test_6_change_feed_watch_and_list(self):
        cf = self.changes_pb2
        # Follow the clinic from its first change (earlier tests' changes
        # come first), then write: a patient, a course, a session and an
        # amendment of the session.
        watch = self.changes.WatchChanges(
            cf.WatchChangesRequest(parent=CLINIC, after_cursor=""),
            timeout=RPC_TIMEOUT_S)
        patient = self.create_patient()
        course = self.create_course(patient.name)
        session = self.records.LogSession(
            self.session_request(course.name), timeout=RPC_TIMEOUT_S)
        amend = self.records_svc_pb2.AmendSessionRequest(
            session=session, etag=session.etag,
            amendment=self.common_pb2.Amendment(
                kind=self.common_pb2.AMENDMENT_KIND_CORRECTION,
                reason="typo in the duration", author="dr-lee"),
            request_id=_new_request_id())
        amend.session.duration_minutes = 50
        amend.update_mask.paths.append("duration_minutes")
        self.records.AmendSession(amend, timeout=RPC_TIMEOUT_S)
        expected = [(patient.name, cf.CHANGE_TYPE_CREATED),
                    (course.name, cf.CHANGE_TYPE_CREATED),
                    (session.name, cf.CHANGE_TYPE_CREATED),
                    (session.name, cf.CHANGE_TYPE_AMENDED)]

        watched = []
        try:
            for response in watch:
                watched.extend(response.changes)
                ours = [(c.name, c.type) for c in watched
                        if c.name in (patient.name, course.name,
                                      session.name)]
                if len(ours) >= len(expected):
                    break
        finally:
            watch.cancel()
        self.assertEqual(ours, expected)
        cursors = [c.cursor for c in watched]
        self.assertTrue(all(a < b for a, b in zip(cursors, cursors[1:])),
                        cursors)
        self.assertEqual(watched[-1].session.duration_minutes, 50)
        self.assertEqual(watched[-1].amendment.reason, "typo in the duration")
        self.assertEqual(watched[-1].revision_id, 2)

        # ListChanges, three at a time from the start, gives the same
        # changes (up to the last one watched).
        listed, cursor = [], ""
        while len(listed) < len(watched):
            page = self.changes.ListChanges(
                cf.ListChangesRequest(parent=CLINIC, after_cursor=cursor,
                                      page_size=3),
                timeout=RPC_TIMEOUT_S)
            self.assertTrue(page.changes, "no changes after %r" % cursor)
            self.assertEqual(page.next_cursor, page.changes[-1].cursor)
            listed.extend(page.changes)
            cursor = page.next_cursor
        self.assertEqual(listed[:len(watched)], watched)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter,
        add_help=False)
    env = os.environ.get
    parser.add_argument("--server", default=env("MNRECORDS_SERVER"))
    parser.add_argument("--proto_root", default=env("MNRECORDS_PROTO_ROOT"))
    parser.add_argument("--grpc_proto_dir",
                        default=env("GRPC_PROTO_DIR", "/usr/share/grpc-proto"))
    parser.add_argument("--googleapis_dir",
                        default=env("GOOGLEAPIS_PROTO_DIR",
                                    "/usr/share/gocode/src/github.com/gogo/"
                                    "googleapis"))
    parser.add_argument("--protobuf_include",
                        default=env("PROTOBUF_INCLUDE", "/usr/include"))
    parser.add_argument("--protoc", default=env("PROTOC", "protoc"))
    parser.add_argument("--grpc_python_plugin",
                        default=env("GRPC_PYTHON_PLUGIN",
                                    "/usr/bin/grpc_python_plugin"))
    args, rest = parser.parse_known_args()
    missing = [f for f in ("server", "proto_root") if not getattr(args, f)]
    if missing:
        parser.error("missing --%s (or its environment variable)"
                     % ", --".join(missing))
    CONFIG.update(vars(args))
    CONFIG["server"] = os.path.abspath(args.server)
    CONFIG["proto_root"] = os.path.abspath(args.proto_root)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
