// Before/after pairing of a course's outcome photos.
#ifndef MNRECORDS_SERVER_CHARTS_PHOTO_PAIRING_H_
#define MNRECORDS_SERVER_CHARTS_PHOTO_PAIRING_H_

#include <vector>

#include "clinic/microneedling/v1/treatment_records_service.pb.h"

namespace mnrecords {

namespace v1 = ::clinic::microneedling::v1;

// PairPhotos groups the BASELINE and FOLLOW_UP photos among `photos` (those
// entered in error and IMMEDIATE_POST ones are left out) by view, body area
// and laterality. Per group the baseline is the earliest captured BASELINE
// photo and the follow-up the latest FOLLOW_UP photo. A group with both is
// a pair; the others are baseline_only or follow_up_only. Each list is
// ordered by view, then area, then laterality.
v1::PairCoursePhotosResponse PairPhotos(
    const std::vector<v1::OutcomePhoto>& photos);

}  // namespace mnrecords

#endif  // MNRECORDS_SERVER_CHARTS_PHOTO_PAIRING_H_
