#!/usr/bin/env node
// Checks a FHIR R4 Bundle (JSON file) the way an EHR would receive it:
//  1. against the official FHIR R4 JSON schema (hl7.org/fhir/R4/fhir.schema.json,
//     as shipped in @asymmetrik/fhir-json-schema-validator);
//  2. every "urn:uuid:" reference resolves to an entry's fullUrl, every
//     "#id" reference to a contained resource of the same entry, and
//     fullUrls are unique.
// Prints each problem and exits 1 if there is any; prints "valid" and exits
// 0 otherwise.
// Usage: node validate_bundle.js VALIDATOR_DIR BUNDLE.json
'use strict';
const fs = require('fs');
const path = require('path');

const [validatorDir, file] = process.argv.slice(2);
if (!validatorDir || !file) {
  console.error('usage: validate_bundle.js VALIDATOR_DIR BUNDLE.json');
  process.exit(2);
}
const Validator = require(path.join(
    path.resolve(validatorDir), 'node_modules',
    '@asymmetrik/fhir-json-schema-validator'));

const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
const problems = [];
for (const e of new Validator().validate(bundle)) {
  problems.push(`schema: ${e.dataPath || ''} ${e.message} ${
      JSON.stringify(e.params || {})}`);
}
if (bundle.resourceType !== 'Bundle') problems.push('not a Bundle');

const urls = new Set();
for (const entry of bundle.entry || []) {
  if (urls.has(entry.fullUrl)) problems.push(`duplicate fullUrl ${entry.fullUrl}`);
  urls.add(entry.fullUrl);
}
function walk(node, where, contained) {
  if (Array.isArray(node)) {
    node.forEach((n, i) => walk(n, `${where}[${i}]`, contained));
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'reference' && typeof v === 'string') {
        if (v.startsWith('urn:uuid:') && !urls.has(v)) {
          problems.push(`${where}.reference ${v} resolves to no entry`);
        } else if (v.startsWith('#') && !contained.has(v.slice(1))) {
          problems.push(`${where}.reference ${v} resolves to nothing contained`);
        } else if (!v.startsWith('urn:uuid:') && !v.startsWith('#')) {
          problems.push(`${where}.reference ${v} points outside the Bundle`);
        }
      }
      walk(v, `${where}.${k}`, contained);
    }
  }
}
(bundle.entry || []).forEach((entry, i) => {
  const r = entry.resource || {};
  const contained = new Set((r.contained || []).map((c) => c.id));
  walk(r, `entry[${i}](${r.resourceType})`, contained);
  if (r.id && entry.fullUrl !== `urn:uuid:${r.id}`) {
    problems.push(`entry[${i}] fullUrl ${entry.fullUrl} disagrees with id ${r.id}`);
  }
});

if (problems.length > 0) {
  // The schema's oneOf over every resource type repeats itself: print each
  // problem once.
  for (const p of new Set(problems)) console.log(p);
  process.exit(1);
}
console.log(`valid: ${(bundle.entry || []).length} entries`);
