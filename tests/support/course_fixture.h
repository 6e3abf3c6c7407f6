// CourseFixture: a test fixture with a real server, one patient in clinic c1
// and one planned course of that patient, for tests about what happens
// inside a course.
#ifndef MNRECORDS_TESTS_SUPPORT_COURSE_FIXTURE_H_
#define MNRECORDS_TESTS_SUPPORT_COURSE_FIXTURE_H_

#include "gtest/gtest.h"
#include "tests/support/fixtures.h"
#include "tests/support/test_server.h"

namespace mnrecords::testing {

class CourseFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto patient = client().CreatePatient(PatientRequest("c1", "MRN-F1"));
    ASSERT_TRUE(patient.ok()) << patient.status();
    patient_ = *patient;
    auto course = client().CreateCourse(CourseRequest(patient_.name()));
    ASSERT_TRUE(course.ok()) << course.status();
    course_ = *course;
  }
  RecordsClient& client() { return server_.client(); }

  TestServer server_;
  v1::Patient patient_;
  v1::TreatmentCourse course_;
};

}  // namespace mnrecords::testing

#endif  // MNRECORDS_TESTS_SUPPORT_COURSE_FIXTURE_H_
