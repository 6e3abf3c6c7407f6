#include "tests/reliability/feed_mirror.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace mnrecords::testing {
namespace {

constexpr size_t kMaxProblems = 10;

std::string Describe(const v1::Change& change) {
  return absl::StrCat(change.name(), " rev ", change.revision_id(), " (cursor ",
                      change.cursor(), ")");
}

}  // namespace

bool MirrorReport::ok() const {
  return duplicates == 0 && gaps == 0 && out_of_order == 0 && unparsable == 0 &&
         server_gaps == 0 && missing == 0 && extra == 0 && differing == 0 &&
         same_order && applied == server_changes;
}

std::string MirrorReport::Summary() const {
  std::string text = absl::StrCat(
      "changes applied ", applied, " (", records, " records), on the server ",
      server_changes, "\nduplicates ", duplicates, ", gaps ", gaps,
      ", out of order ", out_of_order, ", unparsable lines ", unparsable,
      "\nmissing ", missing, ", extra ", extra, ", differing ", differing,
      ", server gaps ", server_gaps,
      ", same order as the server: ", same_order ? "yes" : "NO");
  for (const std::string& p : problems) absl::StrAppend(&text, "\n  ", p);
  return text;
}

void FeedMirror::Problem(std::string what) {
  if (counts_.problems.size() < kMaxProblems) {
    counts_.problems.push_back(std::move(what));
  }
}

void FeedMirror::ApplyJsonLine(const std::string& line) {
  v1::Change change;
  if (!google::protobuf::util::JsonStringToMessage(line, &change).ok() ||
      change.cursor().empty()) {
    absl::MutexLock lock(&mu_);
    ++counts_.unparsable;
    Problem("unparsable line: " + line.substr(0, 200));
    return;
  }
  Apply(change);
}

void FeedMirror::Apply(const v1::Change& change) {
  absl::MutexLock lock(&mu_);
  if (!cursors_.empty() && change.cursor() <= cursors_.back()) {
    ++counts_.out_of_order;
    Problem(absl::StrCat("out of order: ", Describe(change), " after cursor ",
                         cursors_.back()));
  }
  std::vector<v1::Change>& revisions = records_[change.name()];
  for (const v1::Change& have : revisions) {
    if (have.revision_id() == change.revision_id()) {
      ++counts_.duplicates;
      Problem("delivered twice: " + Describe(change) + ", first at cursor " +
              have.cursor());
      return;
    }
  }
  const int64_t expected =
      revisions.empty() ? 1 : revisions.back().revision_id() + 1;
  if (change.revision_id() != expected) {
    ++counts_.gaps;
    Problem(
        absl::StrCat("gap: ", Describe(change), ", expected rev ", expected));
  }
  revisions.push_back(change);
  cursors_.push_back(change.cursor());
  ++counts_.applied;
}

std::string FeedMirror::last_cursor() const {
  absl::MutexLock lock(&mu_);
  return cursors_.empty() ? "" : cursors_.back();
}

int64_t FeedMirror::applied() const {
  absl::MutexLock lock(&mu_);
  return counts_.applied;
}

bool FeedMirror::Has(const std::string& name, int64_t revision_id) const {
  absl::MutexLock lock(&mu_);
  auto it = records_.find(name);
  if (it == records_.end()) return false;
  for (const v1::Change& have : it->second) {
    if (have.revision_id() == revision_id) return true;
  }
  return false;
}

MirrorReport FeedMirror::Compare(const std::vector<v1::Change>& server) const {
  absl::MutexLock lock(&mu_);
  MirrorReport report = counts_;
  auto problem = [&report](std::string what) {
    if (report.problems.size() < kMaxProblems) {
      report.problems.push_back(std::move(what));
    }
  };
  report.records = static_cast<int64_t>(records_.size());
  report.server_changes = static_cast<int64_t>(server.size());
  std::map<std::string, std::vector<const v1::Change*>> on_server;
  std::vector<std::string> server_cursors;
  for (const v1::Change& change : server) {
    std::vector<const v1::Change*>& revisions = on_server[change.name()];
    const int64_t expected =
        revisions.empty() ? 1 : revisions.back()->revision_id() + 1;
    if (change.revision_id() != expected) {
      ++report.server_gaps;
      problem(absl::StrCat("the server lists ", Describe(change),
                           ", expected rev ", expected));
    }
    revisions.push_back(&change);
    server_cursors.push_back(change.cursor());
  }
  report.same_order = server_cursors == cursors_;
  for (const auto& [name, revisions] : on_server) {
    auto copy = records_.find(name);
    for (const v1::Change* change : revisions) {
      const v1::Change* have = nullptr;
      if (copy != records_.end()) {
        for (const v1::Change& c : copy->second) {
          if (c.revision_id() == change->revision_id()) have = &c;
        }
      }
      if (have == nullptr) {
        ++report.missing;
        problem("missing from the copy: " + Describe(*change));
      } else if (!google::protobuf::util::MessageDifferencer::Equals(*have,
                                                                     *change)) {
        ++report.differing;
        problem("differs from the server: " + Describe(*change));
      }
    }
  }
  for (const auto& [name, revisions] : records_) {
    auto listed = on_server.find(name);
    for (const v1::Change& change : revisions) {
      bool found = false;
      if (listed != on_server.end()) {
        for (const v1::Change* c : listed->second) {
          found = found || c->revision_id() == change.revision_id();
        }
      }
      if (!found) {
        ++report.extra;
        problem("in the copy, not on the server: " + Describe(change));
      }
    }
  }
  return report;
}

absl::StatusOr<std::vector<v1::Change>> ListAllChanges(
    const RecordsClient& client, const std::string& parent) {
  std::vector<v1::Change> all;
  v1::ListChangesRequest request;
  request.set_parent(parent);
  request.set_page_size(1000);
  for (;;) {
    auto page = client.ListChanges(request);
    if (!page.ok()) return page.status();
    for (v1::Change& change : *page->mutable_changes()) {
      all.push_back(std::move(change));
    }
    if (!page->more()) return all;
    if (page->next_cursor() <= request.after_cursor()) {
      return absl::InternalError("ListChanges: next_cursor did not advance");
    }
    request.set_after_cursor(page->next_cursor());
  }
}

absl::StatusOr<std::string> HeadCursor(const RecordsClient& client,
                                       const std::string& parent) {
  v1::ListChangesRequest request;
  request.set_parent(parent);
  request.set_page_size(1);
  request.mutable_filter()->set_names_only(true);
  auto page = client.ListChanges(request);
  if (!page.ok()) return page.status();
  return page->head_cursor();
}

}  // namespace mnrecords::testing
