#include "server/store/postgres/pg_connection.h"

#include <endian.h>
#include <libpq-fe.h>

#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace mnrecords {
namespace postgres {
namespace {

// Type OIDs of the parameters we send (pg_type.h).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;

absl::StatusCode CodeOfSqlState(absl::string_view state) {
  if (state == "23505") return absl::StatusCode::kAlreadyExists;
  if (state == "40001" || state == "40P01") return absl::StatusCode::kAborted;
  if (state == "53100") return absl::StatusCode::kResourceExhausted;
  if (state == "P0001") return absl::StatusCode::kFailedPrecondition;
  // Connection exceptions (08), operator intervention such as a shutting
  // down server (57), insufficient resources (53), system errors (58).
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "57") ||
      absl::StartsWith(state, "53") || absl::StartsWith(state, "58")) {
    return absl::StatusCode::kUnavailable;
  }
  return absl::StatusCode::kInternal;
}

}  // namespace

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::PgResult(PgResult&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}
PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

int PgResult::rows() const { return PQntuples(result_); }

int64_t PgResult::Int64(int row, int column) const {
  const char* v = PQgetvalue(result_, row, column);
  const int length = PQgetlength(result_, row, column);
  if (length == 8) {
    uint64_t n;
    std::memcpy(&n, v, 8);
    return static_cast<int64_t>(be64toh(n));
  }
  if (length == 4) {
    uint32_t n;
    std::memcpy(&n, v, 4);
    return static_cast<int32_t>(be32toh(n));
  }
  return 0;  // NULL
}

absl::string_view PgResult::View(int row, int column) const {
  return absl::string_view(PQgetvalue(result_, row, column),
                           PQgetlength(result_, row, column));
}

std::string PgResult::Text(int row, int column) const {
  return std::string(View(row, column));
}

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(
    const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) {
    return absl::ResourceExhaustedError(
        "libpq could not allocate a connection");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string reason = PQerrorMessage(conn);
    PQfinish(conn);
    absl::StripTrailingAsciiWhitespace(&reason);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL: ", reason));
  }
  auto out = std::unique_ptr<PgConnection>(new PgConnection(conn));
  // Every session: UTC, no statement may silently run under a weaker
  // durability than the server's, and our notices stay quiet.
  absl::Status setup = out->Exec(
      "SET TIME ZONE 'UTC'; SET synchronous_commit = on; "
      "SET client_min_messages = warning");
  if (!setup.ok()) return setup;
  return out;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::Usable() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

bool PgConnection::InFailedTransaction() const {
  return PQtransactionStatus(conn_) == PQTRANS_INERROR;
}

absl::Status PgConnection::ErrorOf(pg_result* result,
                                   absl::string_view what) const {
  const char* state = result != nullptr
                          ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                          : nullptr;
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(conn_);
  absl::StripTrailingAsciiWhitespace(&message);
  absl::StatusCode code =
      state != nullptr ? CodeOfSqlState(state) : absl::StatusCode::kUnavailable;
  if (!Usable()) code = absl::StatusCode::kUnavailable;
  return absl::Status(code, absl::StrCat(what, ": ", message));
}

absl::Status PgConnection::Exec(absl::string_view sql) {
  const std::string text(sql);
  PGresult* result = PQexec(conn_, text.c_str());
  const ExecStatusType status =
      result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    PQclear(result);
    return absl::OkStatus();
  }
  absl::Status error = ErrorOf(result, "PostgreSQL");
  if (result != nullptr) PQclear(result);
  return error;
}

absl::StatusOr<PgResult> PgConnection::Query(
    const std::string& sql, const std::vector<PgParam>& params) {
  const int n = static_cast<int>(params.size());
  std::vector<Oid> types(n);
  std::vector<const char*> values(n);
  std::vector<int> lengths(n);
  std::vector<int> formats(n, 1);
  std::vector<uint64_t> ints(n);
  for (int i = 0; i < n; ++i) {
    if (const int64_t* v = std::get_if<int64_t>(&params[i])) {
      ints[i] = htobe64(static_cast<uint64_t>(*v));
      types[i] = kInt8Oid;
      values[i] = reinterpret_cast<const char*>(&ints[i]);
      lengths[i] = 8;
    } else if (const std::string* s = std::get_if<std::string>(&params[i])) {
      types[i] = kTextOid;
      values[i] = s->data();
      lengths[i] = static_cast<int>(s->size());
    } else {
      const PgBytes& b = std::get<PgBytes>(params[i]);
      types[i] = kByteaOid;
      values[i] = b.data.data();
      lengths[i] = static_cast<int>(b.data.size());
    }
  }
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = absl::StrCat("mnr_", prepared_.size() + 1);
    PGresult* prepared =
        PQprepare(conn_, name.c_str(), sql.c_str(), n, types.data());
    if (prepared == nullptr || PQresultStatus(prepared) != PGRES_COMMAND_OK) {
      absl::Status error = ErrorOf(prepared, "PostgreSQL (prepare)");
      if (prepared != nullptr) PQclear(prepared);
      return error;
    }
    PQclear(prepared);
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  PGresult* result =
      PQexecPrepared(conn_, it->second.c_str(), n, values.data(),
                     lengths.data(), formats.data(), /*resultFormat=*/1);
  const ExecStatusType status =
      result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    return PgResult(result);
  }
  absl::Status error = ErrorOf(result, "PostgreSQL");
  if (result != nullptr) PQclear(result);
  return error;
}

}  // namespace postgres
}  // namespace mnrecords
