#include "tools/migrate/rows.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mnrecords::migrate {

int CompareKeys(const Row& a, const Row& b, int key_columns) {
  for (int i = 0; i < key_columns; ++i) {
    const Value& x = a[i];
    const Value& y = b[i];
    if (x.index() != y.index()) return x.index() < y.index() ? -1 : 1;
    if (const int64_t* n = std::get_if<int64_t>(&x)) {
      const int64_t m = std::get<int64_t>(y);
      if (*n != m) return *n < m ? -1 : 1;
      continue;
    }
    // std::string::compare compares chars as unsigned (char_traits<char>),
    // i.e. byte order: SQLite's BINARY and PostgreSQL's "C" collation.
    const int c = std::get<std::string>(x).compare(std::get<std::string>(y));
    if (c != 0) return c < 0 ? -1 : 1;
  }
  return 0;
}

std::string FormatValue(const Value& value, ColumnType type) {
  constexpr size_t kMax = 80;
  if (const int64_t* n = std::get_if<int64_t>(&value)) return absl::StrCat(*n);
  const std::string& s = std::get<std::string>(value);
  bool printable = type == ColumnType::kText;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) printable = false;
  }
  if (printable) {
    if (s.size() <= kMax) return absl::StrCat("\"", s, "\"");
    return absl::StrCat("\"", s.substr(0, kMax), "...\" (", s.size(),
                        " bytes)");
  }
  const std::string hex = absl::BytesToHexString(s);
  if (hex.size() <= kMax) return absl::StrCat("0x", hex);
  return absl::StrCat("0x", hex.substr(0, kMax), "... (", s.size(), " bytes)");
}

int64_t ValueSize(const Value& value) {
  if (std::holds_alternative<int64_t>(value)) return 8;
  return static_cast<int64_t>(std::get<std::string>(value).size());
}

}  // namespace mnrecords::migrate
