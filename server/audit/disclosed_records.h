// DisclosedRecords gathers what a call's responses disclose, for the call's
// audit event (server/store/audit_access.h): every string field, at any
// depth, that holds a resource name at or below a patient names a record of
// that patient (a patient, course, session, photo or consent, or a
// reference to one). It reads the responses the way a client would, so a
// new read is covered without code of its own. Audit events are skipped:
// they describe calls, not records.
//
// Not thread safe: it belongs to one call, whose responses are added one
// after the other.
#ifndef MNRECORDS_SERVER_AUDIT_DISCLOSED_RECORDS_H_
#define MNRECORDS_SERVER_AUDIT_DISCLOSED_RECORDS_H_

#include <string>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace mnrecords {

struct DisclosedRecordsPlan;  // what to read of a message type (.cc)

class DisclosedRecords {
 public:
  // Add gathers the records `response` names.
  void Add(const google::protobuf::Message& response);

  // AddPatientOf gathers the patient of `resource` (if it names one) with
  // no record: the call that named it answered about that patient, e.g.
  // with an export document or an empty list.
  void AddPatientOf(absl::string_view resource);

  // Encoded returns the gathered records in their stored form
  // (EncodeRecordsAccessed); "" if no response named a patient's record.
  std::string Encoded() const;

 private:
  void Walk(const google::protobuf::Message& m,
            const DisclosedRecordsPlan& plan);
  void AddName(absl::string_view value);

  absl::flat_hash_set<std::string> records_;
  absl::btree_set<std::string> patients_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_AUDIT_DISCLOSED_RECORDS_H_
