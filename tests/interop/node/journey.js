#!/usr/bin/env node
// A Node.js EHR client against the shipped server, from the shipped .proto
// files alone (@grpc/grpc-js and @grpc/proto-loader, test-time only): the
// register -> log -> read-back journey, an idempotent retry and a refused
// request, as an integrator outside C++ would write them. Run by CTest
// (tests/interop/CMakeLists.txt):
//   node journey.js --server BIN --proto_root DIR --protobuf_include DIR
'use strict';

const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const CLINIC = 'clinics/interop';
const DEADLINE_MS = 10000;

function flags() {
  const out = {};
  for (let i = 2; i < process.argv.length; i += 2) {
    out[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
  }
  for (const name of ['server', 'proto_root', 'protobuf_include']) {
    if (!out[name]) throw new Error(`--${name} is required`);
  }
  return out;
}

// startServer runs the binary on a fresh database with one EHR principal
// and the core API (no protocol plugin: sessions without consents), and
// resolves to {child, port, token} once it wrote its port file.
async function startServer(binary, dir) {
  const token = crypto.randomBytes(32).toString('hex');
  const sha = crypto.createHash('sha256').update(token).digest('hex');
  const config = path.join(dir, 'config.textproto');
  fs.writeFileSync(config,
      `principals { id: "node-ehr" role: ROLE_EHR_SYSTEM clinics: "interop" ` +
      `token_sha256: "${sha}" }\n` +
      'plugins { name: "microneedling-protocol" enabled: false }\n');
  const portFile = path.join(dir, 'port');
  const log = fs.openSync(path.join(dir, 'server.log'), 'w');
  const child = childProcess.spawn(binary, [
    '--listen=127.0.0.1:0', `--config=${config}`,
    `--db=${path.join(dir, 'node.db')}`, `--port_file=${portFile}`,
  ], {stdio: ['ignore', log, log]});
  const giveUp = Date.now() + 30000;
  while (!fs.existsSync(portFile)) {
    if (child.exitCode !== null || Date.now() > giveUp) {
      throw new Error('the server did not start:\n' +
          fs.readFileSync(path.join(dir, 'server.log'), 'utf8'));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const port = Number(fs.readFileSync(portFile, 'utf8').trim());
  return {child, port, token};
}

function call(client, method, request, metadata) {
  return new Promise((resolve, reject) => {
    client[method](request, metadata,
        {deadline: new Date(Date.now() + DEADLINE_MS)},
        (error, response) => (error ? reject(error) : resolve(response)));
  });
}

function requestId() {
  return crypto.randomUUID();
}

async function journey(records, metadata) {
  // 1. Register the patient under the EHR's MRN.
  const patientRequest = {
    parent: CLINIC,
    patient: {
      identifiers: [{system: 'urn:oid:1.2.36.146.595.217.0.1', value: 'MRN-NODE-1'}],
      fitzpatrick_skin_type: 'FITZPATRICK_SKIN_TYPE_III',
    },
    request_id: requestId(),
  };
  const patient = await call(records, 'CreatePatient', patientRequest, metadata);
  assert.ok(patient.name.startsWith(`${CLINIC}/patients/`), patient.name);
  assert.equal(patient.fitzpatrick_skin_type, 'FITZPATRICK_SKIN_TYPE_III');
  // A retry with the same request_id returns the first result.
  const again = await call(records, 'CreatePatient', patientRequest, metadata);
  assert.equal(again.name, patient.name);

  // 2. A course of three sessions, four to six weeks apart.
  const course = await call(records, 'CreateCourse', {
    parent: patient.name,
    course: {
      indications: ['INDICATION_ACNE_SCARS'],
      treatment_areas: [{area: 'BODY_AREA_CHEEK', laterality: 'LATERALITY_BILATERAL'}],
      planned_session_count: 3,
      planned_interval_min_days: 28,
      planned_interval_max_days: 42,
      responsible_clinician: 'dr-lee',
    },
    request_id: requestId(),
  }, metadata);
  assert.ok(course.name.startsWith(`${patient.name}/courses/`), course.name);

  // 3. Log a session; nanoseconds and non-ASCII text must come back as sent.
  const performedMs = Date.now() - 3600 * 1000;
  const performedAt = {seconds: String(Math.floor(performedMs / 1000)), nanos: 123456789};
  const session = {
    status: 'SESSION_STATUS_COMPLETED',
    performed_at: performedAt,
    duration_minutes: 45,
    clinician: 'dr-lee',
    device: {model: 'Pen A6'},
    cartridge: {model: '12-needle', lot: 'LOT-2026-11', needle_count: 12},
    treated_areas: ['LATERALITY_LEFT', 'LATERALITY_RIGHT'].map((laterality) => ({
      site: {area: 'BODY_AREA_CHEEK', laterality},
      needle_depth_mm: 1.25,
      passes: 3,
    })),
    adverse_events_assessment: 'ADVERSE_EVENTS_ASSESSMENT_NONE',
    notes: 'Verträglich – gut',
    // Output only: ignored on input, never echoed.
    etag: 'forged',
  };
  const logged = await call(records, 'LogSession',
      {parent: course.name, session, request_id: requestId()}, metadata);
  assert.ok(logged.name.startsWith(`${course.name}/sessions/`), logged.name);
  assert.notEqual(logged.etag, 'forged');

  // 4. Read it back.
  const read = await call(records, 'GetSession', {name: logged.name}, metadata);
  assert.equal(read.performed_at.seconds, performedAt.seconds);
  assert.equal(read.performed_at.nanos, performedAt.nanos);
  assert.equal(read.notes, 'Verträglich – gut');
  assert.equal(read.status, 'SESSION_STATUS_COMPLETED');
  assert.equal(read.treated_areas.length, 2);
  assert.equal(read.treated_areas[0].needle_depth_mm, 1.25);
  assert.equal(read.treated_areas[1].site.laterality, 'LATERALITY_RIGHT');
  assert.equal(read.revision.revision_id, '1');
  assert.equal(read.etag, logged.etag);

  // 5. A needle depth out of range is refused, naming the field; nothing
  //    is stored.
  const tooDeep = structuredClone(session);
  tooDeep.treated_areas[0].needle_depth_mm = 4;
  await assert.rejects(
      call(records, 'LogSession',
          {parent: course.name, session: tooDeep, request_id: requestId()}, metadata),
      (error) => {
        assert.equal(error.code, grpc.status.INVALID_ARGUMENT);
        assert.match(error.details, /^session\.treated_areas\[0\]\.needle_depth_mm: /);
        return true;
      });
  const listed = await call(records, 'ListSessions', {parent: course.name}, metadata);
  assert.equal(listed.sessions.length, 1);

  // 6. Without credentials: UNAUTHENTICATED.
  await assert.rejects(call(records, 'GetSession', {name: logged.name}, new grpc.Metadata()),
      (error) => error.code === grpc.status.UNAUTHENTICATED);
}

async function main() {
  const args = flags();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnrecords-node-'));
  const definition = protoLoader.loadSync(
      'clinic/microneedling/v1/treatment_records_service.proto', {
        keepCase: true, longs: String, enums: String, defaults: false,
        includeDirs: [args.proto_root, args.protobuf_include],
      });
  const api = grpc.loadPackageDefinition(definition).clinic.microneedling.v1;
  const server = await startServer(args.server, dir);
  try {
    const records = new api.TreatmentRecords(`127.0.0.1:${server.port}`,
        grpc.credentials.createInsecure());
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${server.token}`);
    await journey(records, metadata);
    records.close();
    console.log('node journey: PASSED');
  } finally {
    server.child.kill('SIGTERM');
  }
  fs.rmSync(dir, {recursive: true, force: true});
}

main().catch((error) => {
  console.error('node journey: FAILED\n', error);
  process.exit(1);
});
