#include "log/redaction.h"

#include <gtest/gtest.h>

#include <set>

#include "pact/intake/v1/intake.pb.h"

namespace pact::log {
namespace {

pact::intake::v1::Person sample_person() {
  pact::intake::v1::Person person;
  person.set_given_name("Marker-Латиница-علامة");
  person.set_family_name("Family-Фамилия");
  person.add_other_names("Alias-Псевдоним");
  person.set_date_of_birth("2009-03-04");
  person.add_languages("ar");
  person.add_languages("fa");
  auto* identifier = person.add_identifiers();
  identifier->set_value("DOC-123456");
  return person;
}

TEST(Redaction, ReplacesEveryPersonalFieldAndKeepsCoarseAttributes) {
  nlohmann::json json = redacted_json(sample_person());
  const std::string text = json.dump();
  EXPECT_EQ(json["given_name"], kRedacted);
  EXPECT_EQ(json["family_name"], kRedacted);
  EXPECT_EQ(json["other_names"], kRedacted);
  EXPECT_EQ(json["date_of_birth"], kRedacted);
  EXPECT_EQ(json["languages"], nlohmann::json::array({"ar", "fa"}));
  for (const char* marker : {"Marker", "Латиница", "علامة", "Фамилия", "Псевдоним", "DOC-123456", "2009-03-04"}) {
    EXPECT_EQ(text.find(marker), std::string::npos) << marker << " leaked into " << text;
  }
}

TEST(Redaction, FindsEveryPersonalValueForLeakChecks) {
  std::set<std::string> values;
  for_each_personal_value(sample_person(), [&](const auto&, const std::string& value) { values.insert(value); });
  EXPECT_TRUE(values.count("Marker-Латиница-علامة"));
  EXPECT_TRUE(values.count("Alias-Псевдоним"));
  EXPECT_TRUE(values.count("DOC-123456"));
  EXPECT_FALSE(values.count("ar"));
}

TEST(Redaction, ThePersonalDataOptionIsReadFromTheDescriptor) {
  const auto* descriptor = pact::intake::v1::Person::descriptor();
  EXPECT_TRUE(is_personal(*descriptor->FindFieldByName("given_name")));
  EXPECT_FALSE(is_personal(*descriptor->FindFieldByName("languages")));
}

}  // namespace
}  // namespace pact::log
