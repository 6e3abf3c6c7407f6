// Rows as mnrecords_migrate moves and compares them: a row is a vector of
// values, each an integer or a byte string (text and bytea alike), and a
// RowSource yields a table's rows one at a time in a fixed order, so that
// neither side of a copy or a proof is ever held in memory whole.
#ifndef MNRECORDS_TOOLS_MIGRATE_ROWS_H_
#define MNRECORDS_TOOLS_MIGRATE_ROWS_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"

namespace mnrecords::migrate {

// ColumnType is how a column is read and written.
enum class ColumnType {
  kInt,    // SQLite INTEGER, PostgreSQL bigint/integer
  kText,   // TEXT / text
  kBytes,  // BLOB / bytea
  // SQLite only: reads a BLOB and yields its raw 32-byte SHA-256 (the
  // proof compares payloads by digest; PostgreSQL computes its own).
  kBlobSha256,
};

// Value is one column value: int64_t for kInt, the bytes otherwise.
using Value = std::variant<int64_t, std::string>;
using Row = std::vector<Value>;

// RowSource yields rows in its fixed order. Not thread safe.
class RowSource {
 public:
  virtual ~RowSource() = default;
  // Next fills `row` with the next row and returns true, or returns false
  // at the end. Errors are the database's.
  virtual absl::StatusOr<bool> Next(Row& row) = 0;
};

// CompareKeys orders rows by their first `key_columns` values: integers by
// value, strings by their bytes (as unsigned chars). <0, 0 or >0.
int CompareKeys(const Row& a, const Row& b, int key_columns);

// FormatValue renders a value for a message: integers in decimal, text
// quoted, bytes (and long text) in hex, cut at about 80 characters.
std::string FormatValue(const Value& value, ColumnType type);

// ValueSize is the value's size in bytes, for progress figures.
int64_t ValueSize(const Value& value);

}  // namespace mnrecords::migrate

#endif  // MNRECORDS_TOOLS_MIGRATE_ROWS_H_
