// Netstrings (`<byte length>:<bytes>,`): the framing of every canonical
// form the store hashes (audit_chain.h, revision_hash.h), so that an auditor
// can rebuild the bytes without our code.
#ifndef MNRECORDS_SERVER_STORE_NETSTRING_H_
#define MNRECORDS_SERVER_STORE_NETSTRING_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace mnrecords {

// AppendNetstring appends `value` as a netstring to `out`.
void AppendNetstring(std::string* out, absl::string_view value);

// AppendNetstring appends the decimal form of `value` as a netstring.
void AppendNetstring(std::string* out, int64_t value);

// ConsumeNetstring reads one netstring from the front of `in` into `value`
// (a view into `in`'s bytes) and advances `in` past it; false, leaving both
// unspecified, if `in` does not start with a well-formed netstring.
bool ConsumeNetstring(absl::string_view* in, absl::string_view* value);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_STORE_NETSTRING_H_
