#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "arguments.h"
#include "kafka_properties.h"

namespace pactctl {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(KafkaProperties, ReadsTheServicesOverrideFormat) {
  EXPECT_THAT(parse_kafka_properties(" security.protocol=SASL_SSL; sasl.mechanism = SCRAM-SHA-512;;"
                                     "ssl.endpoint.identification.algorithm=https,x"),
              ElementsAre(Pair("sasl.mechanism", "SCRAM-SHA-512"), Pair("security.protocol", "SASL_SSL"),
                          Pair("ssl.endpoint.identification.algorithm", "https,x")));
  EXPECT_TRUE(parse_kafka_properties("").empty());
  EXPECT_THAT(parse_kafka_properties("sasl.password=a=b"), ElementsAre(Pair("sasl.password", "a=b")));
}

TEST(KafkaProperties, AnEntryWithoutAValueIsAUsageError) {
  EXPECT_THROW(parse_kafka_properties("security.protocol"), UsageError);
  EXPECT_THROW(parse_kafka_properties("a=1;=2"), UsageError);
}

}  // namespace
}  // namespace pactctl
