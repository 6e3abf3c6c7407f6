// ChangeFeedService: the change feed of a clinic as a plain C++ service
// (proto/clinic/microneedling/v1/change_feed_service.proto has the
// promises). Every revision the store holds is a change (store.h,
// StoredChange); a cursor names a change's seq. ListChanges answers one page;
// a watch (server/grpc/watch_changes_reactor.h) asks NextChanges again and
// again from its last cursor.
//
// Cursors: "1." followed by the seq as 19 decimal digits, so that as
// strings they sort in commit order. Clients treat them as opaque.
//
// Thread safety: all methods may be called concurrently.
#ifndef MNRECORDS_SERVER_SERVICE_CHANGE_FEED_SERVICE_H_
#define MNRECORDS_SERVER_SERVICE_CHANGE_FEED_SERVICE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clinic/microneedling/v1/change_feed_service.pb.h"
#include "server/audit/audited_call.h"
#include "server/store/store.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// ChangeCursor returns the cursor of change `seq` ("" for 0: before the
// first change).
std::string ChangeCursor(int64_t seq);

// ParseChangeCursor returns the seq a cursor names (0 for ""); `field`
// names the request field in the INVALID_ARGUMENT of a malformed cursor.
absl::StatusOr<int64_t> ParseChangeCursor(absl::string_view field,
                                          absl::string_view cursor);

// ChangeFromStored converts a stored change to the API's Change: its type
// from the revision (created, amended, consent state change, entered in
// error) and, unless names_only, the revision itself. DATA_LOSS if the
// revision does not parse.
absl::StatusOr<v1::Change> ChangeFromStored(const StoredChange& stored,
                                            bool names_only);

// ChangeWatch is a validated WatchChanges request: what to read and from
// where.
struct ChangeWatch {
  ChangeQuery query;  // clinic and filters; after_seq is where it starts
  bool names_only = false;
};

// ChangePage is one page of changes and where it leaves the reader.
struct ChangePage {
  google::protobuf::RepeatedPtrField<v1::Change> changes;
  // Every matching change up to progress_seq has been read.
  int64_t progress_seq = 0;
  // More matching changes may follow progress_seq right now.
  bool more = false;
  // The clinic's latest change when the page was read.
  int64_t head_seq = 0;
};

class ChangeFeedService {
 public:
  // Pages hold at most kMaxPageBytes of changes (and at least one change),
  // well under gRPC's message limit; a watch sends at most kWatchPageSize
  // changes per message.
  static constexpr int64_t kMaxPageBytes = 2 * 1024 * 1024;
  static constexpr int kWatchPageSize = 100;

  // `store` must outlive the service.
  explicit ChangeFeedService(Store& store) : store_(store) {}

  // ListChanges: one page of the clinic's changes after r.after_cursor.
  // INVALID_ARGUMENT for a malformed parent, cursor, filter or page size;
  // FAILED_PRECONDITION for a cursor beyond the clinic's latest change (a
  // cursor this database never handed out: resync from a snapshot).
  absl::StatusOr<v1::ListChangesResponse> ListChanges(
      AuditedCall& call, const v1::ListChangesRequest& r);

  // StartWatch validates a WatchChanges request and reads where it starts
  // (the head, for start_at_head). Errors as for ListChanges.
  absl::StatusOr<ChangeWatch> StartWatch(const v1::WatchChangesRequest& r);

  // NextChanges reads the next page of `watch` after `after_seq`.
  absl::StatusOr<ChangePage> NextChanges(const ChangeWatch& watch,
                                         int64_t after_seq);

 private:
  // ReadPage reads up to `limit` changes of `query` and the clinic's head
  // in one snapshot.
  absl::StatusOr<ChangePage> ReadPage(const ChangeQuery& query,
                                      bool names_only);

  Store& store_;
};

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_SERVICE_CHANGE_FEED_SERVICE_H_
