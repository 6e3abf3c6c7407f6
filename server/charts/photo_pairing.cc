#include "server/charts/photo_pairing.h"

#include <map>
#include <tuple>

#include "common/time_util.h"
#include "server/records/record_codec.h"

namespace mnrecords {

v1::PairCoursePhotosResponse PairPhotos(
    const std::vector<v1::OutcomePhoto>& photos) {
  using Key = std::tuple<int, int, int>;  // view, area, laterality
  std::map<Key, v1::PhotoPair> groups;
  for (const v1::OutcomePhoto& p : photos) {
    if (IsEnteredInError(p)) continue;
    const bool baseline = p.phase() == v1::PHOTO_PHASE_BASELINE;
    if (!baseline && p.phase() != v1::PHOTO_PHASE_FOLLOW_UP) continue;
    const Key key{p.view(), p.body_site().area(), p.body_site().laterality()};
    v1::PhotoPair& pair = groups[key];
    pair.set_view(p.view());
    pair.mutable_body_site()->set_area(p.body_site().area());
    pair.mutable_body_site()->set_laterality(p.body_site().laterality());
    const absl::Time t = FromProtoTime(p.captured_at());
    if (baseline) {
      if (!pair.has_baseline() ||
          t < FromProtoTime(pair.baseline().captured_at())) {
        *pair.mutable_baseline() = p;
      }
    } else if (!pair.has_follow_up() ||
               t >= FromProtoTime(pair.follow_up().captured_at())) {
      *pair.mutable_follow_up() = p;
    }
  }
  v1::PairCoursePhotosResponse response;
  for (auto& [key, pair] : groups) {
    if (pair.has_baseline() && pair.has_follow_up()) {
      *response.add_pairs() = std::move(pair);
    } else if (pair.has_baseline()) {
      *response.add_baseline_only() = std::move(pair);
    } else {
      *response.add_follow_up_only() = std::move(pair);
    }
  }
  return response;
}

}  // namespace mnrecords
