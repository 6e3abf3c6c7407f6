#include "server/consent/screening_answers.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mnrecords {

absl::Status CheckScreeningAnswers(absl::string_view field,
                                   const v1::InstructionSet& questionnaire,
                                   const v1::Screening& s) {
  std::map<std::string, const v1::InstructionItem*> asked;
  for (const v1::InstructionItem& item : questionnaire.items()) {
    asked[item.question_code()] = &item;
  }
  std::set<std::string> answered;
  for (int i = 0; i < s.answers_size(); ++i) {
    const std::string& code = s.answers(i).question_code();
    const std::string at =
        absl::StrCat(field, ".answers[", i, "].question_code");
    if (asked.count(code) == 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          at, ": \"", code, "\" is not a question of revision ",
          questionnaire.revision_id(), " of ", questionnaire.name()));
    }
    if (!answered.insert(code).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(at, ": \"", code, "\" is answered twice"));
    }
  }
  std::vector<std::string> missing;
  for (const v1::InstructionItem& item : questionnaire.items()) {
    if (answered.count(item.question_code()) == 0) {
      missing.push_back(
          absl::StrCat(item.question_code(), " (\"", item.text(), "\")"));
    }
  }
  if (!missing.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".answers: every question must be answered; missing: ",
        absl::StrJoin(missing, ", ")));
  }
  return absl::OkStatus();
}

}  // namespace mnrecords
