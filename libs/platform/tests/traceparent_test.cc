#include "events/traceparent.h"

#include <gtest/gtest.h>

namespace pact::events {
namespace {

TEST(TraceParent, ParsesTheSpecificationExample) {
  auto parsed = TraceParent::parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(parsed->parent_id, "00f067aa0ba902b7");
  EXPECT_EQ(parsed->flags, 1u);
}

TEST(TraceParent, RejectsInvalidHeaders) {
  for (const char* bad : {
           "",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",         // no flags
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",      // zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",      // zero parent id
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",      // uppercase
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",      // forbidden version
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",  // v00 must be exact
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
       }) {
    EXPECT_FALSE(TraceParent::parse(bad)) << bad;
  }
}

TEST(TraceParent, AcceptsAFutureVersionWithExtraFields) {
  EXPECT_TRUE(TraceParent::parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever"));
}

TEST(TraceParent, NewRootAndChildRoundTrip) {
  TraceParent root = TraceParent::new_root();
  auto reparsed = TraceParent::parse(root.to_header());
  ASSERT_TRUE(reparsed);
  EXPECT_EQ(reparsed->trace_id, root.trace_id);
  TraceParent child = root.child();
  EXPECT_EQ(child.trace_id, root.trace_id);
  EXPECT_NE(child.parent_id, root.parent_id);
}

}  // namespace
}  // namespace pact::events
