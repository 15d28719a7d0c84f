#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "routing_fixture.h"
#include "sop_book.h"
#include "sop_loader.h"

namespace pact::routing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

const std::string kHead = R"(sop: test-sop
version: "1"
applies_to: regional
profiles: [standard]
deadline_classes:
  immediate:
    standard: {acknowledge: 30m, accept: 2h, reminders: [10m]}
escalation: {deadlines: immediate}
rules:
)";

std::vector<std::string> problems_of(const std::string& yaml) {
  try {
    parse_sop(yaml, "test.yaml");
  } catch (const SopError& e) {
    return e.problems();
  }
  return {};
}

std::string rule(const std::string& service, const std::string& consent, const std::string& when = "{flags: [urgent_medical]}") {
  return "  - id: r1\n    version: 1\n    when: " + when + "\n    refer:\n      - {need: shelter, service: " + service +
         ", priority: urgent, deadlines: immediate, consent: " + consent + "}\n";
}

TEST(SopLoader, TheRepositoryFilesLoadForEveryJurisdiction) {
  const SopBook& book = testing::repository_sop();
  for (auto jurisdiction : {common::JURISDICTION_AL, common::JURISDICTION_BA, common::JURISDICTION_XK, common::JURISDICTION_ME,
                            common::JURISDICTION_MK, common::JURISDICTION_RS}) {
    EXPECT_GE(book.rules_for(jurisdiction).size(), 15U) << common::Jurisdiction_Name(jurisdiction);
  }
  EXPECT_TRUE(book.has_profile("demo"));
  EXPECT_EQ(book.deadlines(common::JURISDICTION_RS, "immediate", "demo").acknowledge, std::chrono::seconds(20));
  EXPECT_EQ(book.deadlines(common::JURISDICTION_RS, "immediate", "standard").acknowledge, std::chrono::minutes(30));
  EXPECT_GE(book.reflection_period_days(common::JURISDICTION_RS), 30U);
}

TEST(SopLoader, AnOverrideReplacesARuleInItsJurisdictionOnly) {
  const SopBook& book = testing::repository_sop();
  auto source_of = [&](common::Jurisdiction jurisdiction) {
    for (const auto& effective : book.rules_for(jurisdiction)) {
      if (effective.rule->id == "formal-identification") return effective.sop->id;
    }
    return std::string();
  };
  EXPECT_EQ(source_of(common::JURISDICTION_RS), "rs-emergency");
  EXPECT_EQ(source_of(common::JURISDICTION_XK), "marri-emergency");
}

TEST(SopLoader, AGoodFileParses) {
  const SopFile file = parse_sop(kHead + rule("safe_accommodation", "services"), "test.yaml");
  ASSERT_EQ(file.rules.size(), 1U);
  EXPECT_EQ(file.rules[0].refer[0].consent, common::CONSENT_SCOPE_SERVICES);
  EXPECT_EQ(file.deadline_classes.at("immediate").at("standard").reminders[0], std::chrono::minutes(10));
}

TEST(SopLoader, ProblemsComeWithFileAndLine) {
  const auto problems = problems_of(kHead + "  - id: r1\n    version: 1\n    colour: blue\n    when: {flags: [urgent_medical]}\n"
                                            "    refer:\n      - {need: shelterr, service: safe_accommodation, priority: urgent, "
                                            "deadlines: immediate, consent: services}\n");
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("test.yaml:12:"), HasSubstr("unknown key 'colour'"))));
  EXPECT_THAT(problems, Contains(AllOf(HasSubstr("test.yaml:15:"), HasSubstr("unknown need 'shelterr'"))));
}

TEST(SopLoader, PoliceOnlyWithPoliceConsent) {
  EXPECT_THAT(problems_of(kHead + rule("police_anti_trafficking", "none")), Contains(HasSubstr("needs consent: police")));
  EXPECT_THAT(problems_of(kHead + rule("police_anti_trafficking", "services")), Contains(HasSubstr("needs consent: police")));
  EXPECT_TRUE(problems_of(kHead + rule("police_anti_trafficking", "police", "{consent: [police]}")).empty());
}

TEST(SopLoader, AssistanceIsNeverConditionalOnCooperatingWithPolice) {
  EXPECT_THAT(problems_of(kHead + rule("safe_accommodation", "services", "{consent: [police]}")),
              Contains(HasSubstr("never conditional on cooperating with police")));
  EXPECT_THAT(problems_of(kHead + rule("legal_aid", "services", "{needs: [law_enforcement_contact]}")),
              Contains(HasSubstr("never conditional on cooperating with police")));
}

TEST(SopLoader, ChildProtectionMedicalCareAndGuardiansNeverWaitForConsent) {
  for (const char* service : {"child_protection", "emergency_medical_care", "guardianship"}) {
    EXPECT_THAT(problems_of(kHead + rule(service, "services")), Contains(HasSubstr("never waits for consent"))) << service;
  }
}

TEST(SopLoader, DeadlinesAndRemindersAreChecked) {
  std::string yaml = kHead;
  yaml.replace(yaml.find("reminders: [10m]"), 16, "reminders: [3h]");
  EXPECT_THAT(problems_of(yaml + rule("safe_accommodation", "services")), Contains(HasSubstr("must come before its deadline")));
  yaml = kHead;
  yaml.replace(yaml.find("acknowledge: 30m"), 16, "acknowledge: soon");
  EXPECT_THAT(problems_of(yaml + rule("safe_accommodation", "services")), Contains(HasSubstr("must be a duration")));
  std::string unknown_class = rule("safe_accommodation", "services");
  unknown_class.replace(unknown_class.find("deadlines: immediate"), 20, "deadlines: someday");
  EXPECT_THAT(problems_of(kHead + unknown_class), Contains(HasSubstr("unknown deadline class 'someday'")));
}

TEST(SopLoader, ARuleWithoutConditionsIsRefused) {
  EXPECT_THAT(problems_of(kHead + "  - id: r1\n    version: 1\n    refer: []\n"), Contains(HasSubstr("missing 'when'")));
}

TEST(SopLoader, CrossFileProblemsAreReported) {
  const SopFile regional = parse_sop(kHead + rule("safe_accommodation", "services"), "regional.yaml");
  const std::string override_head = "sop: rs\nversion: \"1\"\napplies_to: RS\noverrides: test-sop\n";
  const SopFile rs = parse_sop(override_head + "disable: [no-such-rule]\nrules: []\n", "rs.yaml");
  const SopFile rs_again = parse_sop(override_head + "rules: []\n", "rs-again.yaml");
  try {
    SopBook::build({regional, rs, rs_again});
    FAIL() << "expected problems";
  } catch (const SopError& e) {
    EXPECT_THAT(e.problems(), Contains(HasSubstr("disables 'no-such-rule'")));
    EXPECT_THAT(e.problems(), Contains(HasSubstr("a second override for RS")));
  }
  const SopFile wrong_base = parse_sop("sop: me\nversion: \"1\"\napplies_to: ME\noverrides: other\nrules: []\n", "me.yaml");
  EXPECT_THROW(SopBook::build({regional, wrong_base}), SopError);
  EXPECT_THROW(SopBook::build({rs}), SopError);  // no regional file
}

TEST(SopLoader, TheRegionalFileMustDefineTheSafetyNetsDeadlines) {
  std::string yaml = kHead;
  yaml.replace(yaml.find("  immediate:"), 12, "  urgent:");
  yaml.replace(yaml.find("{deadlines: immediate}"), 22, "{deadlines: urgent}");
  std::string body = rule("safe_accommodation", "services");
  body.replace(body.find("deadlines: immediate"), 20, "deadlines: urgent");
  try {
    SopBook::build({parse_sop(yaml + body, "test.yaml")});
    FAIL() << "expected a problem";
  } catch (const SopError& e) {
    EXPECT_THAT(e.problems(), Contains(HasSubstr("'immediate'")));
  }
}

}  // namespace
}  // namespace pact::routing
