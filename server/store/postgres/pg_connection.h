// PgConnection: one libpq connection, with the few operations the
// PostgreSQL store needs: run a command, run a parameterized statement
// (prepared once per connection and cached), read typed columns. Every
// parameter and result column travels in binary form, so payloads (bytea)
// and integers need no escaping or parsing.
//
// Errors map to absl::Status by SQLSTATE: unique violation ALREADY_EXISTS,
// serialization failure or deadlock ABORTED, a lost connection or a server
// shutting down UNAVAILABLE (the outcome of a COMMIT that got no answer is
// unknown: the caller retries with the same request_id), disk full
// RESOURCE_EXHAUSTED, a refusal raised by our triggers FAILED_PRECONDITION,
// anything else INTERNAL; the message carries PostgreSQL's.
//
// Thread safety: none; one thread at a time per connection.
#ifndef MNRECORDS_SERVER_STORE_POSTGRES_PG_CONNECTION_H_
#define MNRECORDS_SERVER_STORE_POSTGRES_PG_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

struct pg_conn;
struct pg_result;

namespace mnrecords {
namespace postgres {

// PgBytes marks a parameter as bytea (a std::string parameter is text).
struct PgBytes {
  std::string data;
};

// PgParam is one statement parameter: bigint, text or bytea.
using PgParam = std::variant<int64_t, std::string, PgBytes>;

// PgResult is the rows of one statement. Column accessors take the row and
// column index; the column must have the type asked for (bigint or
// integer for Int64, text for Text, bytea for Bytes).
class PgResult {
 public:
  explicit PgResult(pg_result* result);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  int64_t Int64(int row, int column) const;
  std::string Text(int row, int column) const;
  absl::string_view View(int row, int column) const;

 private:
  pg_result* result_;
};

class PgConnection {
 public:
  // Connect opens a connection with `conninfo` (a libpq URI or key=value
  // string; libpq's environment variables fill what it leaves out).
  // UNAVAILABLE if the server cannot be reached, with libpq's reason.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Connect(
      const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Exec runs `sql` (one or more commands, no parameters, no rows wanted).
  absl::Status Exec(absl::string_view sql);

  // Query runs one statement with parameters $1..$n, prepared on first use
  // on this connection and reused after.
  absl::StatusOr<PgResult> Query(const std::string& sql,
                                 const std::vector<PgParam>& params = {});

  // Usable is false once the connection is lost; it must then be replaced.
  bool Usable() const;
  // InTransaction is true inside a transaction block (also a failed one).
  bool InTransaction() const;
  // InFailedTransaction is true when a statement of the open transaction
  // failed: nothing more runs in it until a ROLLBACK (TO SAVEPOINT).
  bool InFailedTransaction() const;

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  absl::Status ErrorOf(pg_result* result, absl::string_view what) const;

  pg_conn* conn_;
  absl::flat_hash_map<std::string, std::string> prepared_;  // sql -> name
};

}  // namespace postgres
}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_POSTGRES_PG_CONNECTION_H_
