// pactctl's command line: flags and words, and the encounter `pactctl register` builds from flags.
// Nothing here talks to a service.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include <string>
#include <vector>

#include "arguments.h"
#include "encounter_flags.h"
#include "list_flags.h"

namespace pactctl {
namespace {

namespace common = pact::common::v1;
namespace intake = pact::intake::v1;
using google::protobuf::util::TimeUtil;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::ThrowsMessage;
using ::testing::UnorderedElementsAre;

// The words after the command name, as the shell hands them on.
Arguments parse(std::vector<std::string> line) {
  std::vector<char*> argv;
  for (auto& word : line) argv.push_back(word.data());
  return parse_arguments(static_cast<int>(argv.size()), argv.data(), 0);
}

// --- parse_arguments ----------------------------------------------------------------------------

TEST(ParseArguments, AnOptionTakesTheNextWordAndOtherWordsArePositional) {
  const Arguments args = parse({"case-1", "--page-size", "20", "note", "--status", "requested"});
  EXPECT_THAT(args.words, ElementsAre("case-1", "note"));
  EXPECT_THAT(args.options, UnorderedElementsAre(Pair("page-size", "20"), Pair("status", "requested")));
  EXPECT_THAT(args.switches, IsEmpty());
}

TEST(ParseArguments, TheEqualsFormKeepsEverythingAfterTheFirstEquals) {
  const Arguments args = parse({"--filter=level=high", "--note=", "--token=--starts-with-dashes"});
  EXPECT_EQ(args.option("filter", ""), "level=high");
  EXPECT_TRUE(args.has("note"));
  EXPECT_EQ(args.option("note", "fallback"), "");
  EXPECT_EQ(args.option("token", ""), "--starts-with-dashes");
}

TEST(ParseArguments, TheLastValueGivenWins) {
  const Arguments args = parse({"--status", "requested", "--status=accepted"});
  EXPECT_EQ(args.option("status", ""), "accepted");
}

TEST(ParseArguments, ASwitchNeverSwallowsTheWordAfterIt) {
  const Arguments args = parse({"--json", "case-1", "--include-exercise"});
  EXPECT_THAT(args.words, ElementsAre("case-1"));
  EXPECT_TRUE(args.on("json"));
  EXPECT_TRUE(args.on("include-exercise"));
  EXPECT_FALSE(args.has("json"));
}

TEST(ParseArguments, EveryDocumentedSwitchIsASwitch) {
  for (const auto& name : {"all", "dry-run", "exercise", "from-beginning", "help", "json", "presumed-minor"}) {
    EXPECT_TRUE(kSwitches.count(name)) << name;
    EXPECT_TRUE(parse({std::string("--") + name, "word"}).on(name)) << name;
  }
}

TEST(ParseArguments, ASwitchGivenAValueIsAUsageError) {
  EXPECT_THAT([] { parse({"--json=true"}); }, ThrowsMessage<UsageError>(HasSubstr("--json takes no value")));
}

TEST(ParseArguments, AnOptionAtTheEndWithoutItsValueIsAUsageError) {
  EXPECT_THAT([] { parse({"case-1", "--status"}); }, ThrowsMessage<UsageError>(HasSubstr("--status needs a value")));
}

TEST(ParseArguments, AnOptionFollowedByAnotherFlagIsAForgottenValue) {
  EXPECT_THAT([] { parse({"--case", "--json"}); }, ThrowsMessage<UsageError>(HasSubstr("--case needs a value")));
}

TEST(ParseArguments, ADashAndNegativeNumbersAreValuesNotFlags) {
  // "-" asks text_option to read standard input; a single dash is never a flag.
  const Arguments args = parse({"--note", "-", "--offset", "-5", "-"});
  EXPECT_EQ(args.option("note", ""), "-");
  EXPECT_EQ(args.option("offset", ""), "-5");
  EXPECT_THAT(args.words, ElementsAre("-"));
}

TEST(ParseArguments, StartsAtTheGivenWord) {
  std::vector<std::string> line = {"pactctl", "cases", "show", "case-1", "--json"};
  std::vector<char*> argv;
  for (auto& word : line) argv.push_back(word.data());
  const Arguments args = parse_arguments(static_cast<int>(argv.size()), argv.data(), 3);
  EXPECT_THAT(args.words, ElementsAre("case-1"));
  EXPECT_TRUE(args.on("json"));
}

TEST(Arguments, FindAndOptionTellAGivenEmptyValueFromAMissingOne) {
  const Arguments args = parse({"--note="});
  EXPECT_EQ(args.find("note"), std::optional<std::string>(""));
  EXPECT_EQ(args.find("reason"), std::nullopt);
  EXPECT_EQ(args.option("reason", "none given"), "none given");
}

TEST(Arguments, AMissingWordIsAUsageErrorNamingIt) {
  const Arguments args = parse({"case-1"});
  EXPECT_EQ(args.word(0, "case id"), "case-1");
  EXPECT_THAT([&] { (void)args.word(1, "referral id"); }, ThrowsMessage<UsageError>(HasSubstr("missing referral id")));
}

TEST(Arguments, AnExtraWordIsAUsageErrorNamingIt) {
  const Arguments args = parse({"case-1", "case-2"});
  EXPECT_NO_THROW(args.at_most_words(2));
  EXPECT_THAT([&] { args.at_most_words(1); }, ThrowsMessage<UsageError>(HasSubstr("unexpected argument 'case-2'")));
}

TEST(AllowOnly, AcceptsTheCommandsOwnFlags) {
  const Arguments args = parse({"--status", "requested", "--json", "--page-size", "5"});
  EXPECT_NO_THROW(args.allow_only({"status", "json", "page-size", "case"}));
}

TEST(AllowOnly, RefusesAnUnknownOptionNamingIt) {
  const Arguments args = parse({"--status", "requested", "--colour", "red"});
  EXPECT_THAT([&] { args.allow_only({"status"}); }, ThrowsMessage<UsageError>(HasSubstr("unknown option --colour")));
}

TEST(AllowOnly, RefusesAnUnknownSwitchNamingIt) {
  const Arguments args = parse({"--dry-run"});
  EXPECT_THAT([&] { args.allow_only({"json"}); }, ThrowsMessage<UsageError>(HasSubstr("unknown option --dry-run")));
}

TEST(AllowOnly, HelpIsAlwaysAllowed) {
  const Arguments args = parse({"--help"});
  EXPECT_NO_THROW(args.allow_only({}));
}

TEST(JoinFlags, PutsTheGroupsTogetherInOrder) {
  EXPECT_THAT(join_flags({kPageFlags, {"case", "status"}}), ElementsAre("page-size", "page-token", "all", "case", "status"));
}

TEST(SplitList, DropsEmptyItemsAndTrimsSpaces) {
  EXPECT_THAT(split_list("a, b,,c , "), ElementsAre("a", "b", "c"));
  EXPECT_THAT(split_list("shelter"), ElementsAre("shelter"));
  EXPECT_THAT(split_list(""), IsEmpty());
  EXPECT_THAT(split_list(" , ,"), IsEmpty());
  EXPECT_THAT(split_list("two words,x"), ElementsAre("two words", "x"));
}

TEST(NumberOption, AbsentIsNoValue) { EXPECT_EQ(number_option(parse({}), "page-size", 1, 500), std::nullopt); }

TEST(NumberOption, BoundsAreIncluded) {
  EXPECT_EQ(number_option(parse({"--page-size", "1"}), "page-size", 1, 500), 1);
  EXPECT_EQ(number_option(parse({"--page-size", "500"}), "page-size", 1, 500), 500);
  EXPECT_EQ(number_option(parse({"--offset", "-3"}), "offset", -10, 10), -3);
}

class NumberOptionRefused : public ::testing::TestWithParam<const char*> {};

TEST_P(NumberOptionRefused, IsAUsageErrorSayingWhatIsAllowed) {
  const Arguments args = parse({std::string("--page-size=") + GetParam()});
  EXPECT_THAT([&] { number_option(args, "page-size", 1, 500); },
              ThrowsMessage<UsageError>(HasSubstr("--page-size '" + std::string(GetParam()) +
                                                  "' is not a whole number from 1 to 500")));
}

INSTANTIATE_TEST_SUITE_P(OutOfRangeOrNotANumber, NumberOptionRefused,
                         ::testing::Values("0", "501", "-1", "ten", "20x", "2.5", "", " 20",
                                           "99999999999999999999999"));

TEST(TextOption, AnOrdinaryValueIsTakenAsItIs) {
  EXPECT_EQ(text_option(parse({"--reason", "no capacity"}), "reason"), std::optional<std::string>("no capacity"));
  EXPECT_EQ(text_option(parse({}), "reason"), std::nullopt);
}

// --- list flags ---------------------------------------------------------------------------------

TEST(PageChoice, AllFollowsEveryPageWithTheLargestPageSize) {
  const PageChoice all = page_choice(parse({"--all"}));
  EXPECT_TRUE(all.all);
  EXPECT_EQ(all.size, 500);

  const PageChoice sized = page_choice(parse({"--all", "--page-size", "50", "--page-token", "t-2"}));
  EXPECT_EQ(sized.size, 50);
  EXPECT_EQ(sized.token, "t-2");

  const PageChoice one_page = page_choice(parse({}));
  EXPECT_FALSE(one_page.all);
  EXPECT_EQ(one_page.size, std::nullopt);  // the service's default
}

TEST(ExerciseFilter, DrillRecordsStayOutUnlessAskedFor) {
  EXPECT_EQ(exercise_filter(parse({})), common::EXERCISE_FILTER_REAL_ONLY);
  EXPECT_EQ(exercise_filter(parse({"--include-exercise"})), common::EXERCISE_FILTER_ALL);
  EXPECT_EQ(exercise_filter(parse({"--exercise-only"})), common::EXERCISE_FILTER_EXERCISE_ONLY);
  EXPECT_THROW(exercise_filter(parse({"--include-exercise", "--exercise-only"})), UsageError);
}

// --- encounter flags (pactctl register) ---------------------------------------------------------

intake::Encounter encounter_from(std::vector<std::string> line, intake::Encounter encounter = {}) {
  apply_encounter_flags(parse(std::move(line)), encounter);
  return encounter;
}

pact::rpc::Caller caller_in(std::vector<std::string> jurisdictions) {
  pact::rpc::Caller caller;
  caller.subject = "user-1";
  caller.organisation = "rs-crc";
  caller.roles = {"field_worker"};
  caller.jurisdictions = std::move(jurisdictions);
  return caller;
}

TEST(EncounterFlags, EveryFlagTheEncounterIsBuiltFromIsInTheListRegisterAllows) {
  // register allows kEncounterFlags (plus its own and the session's); a flag missing from the list
  // would be refused as unknown although apply_encounter_flags reads it.
  const Arguments args = parse({"--sector", "police", "--jurisdiction", "rs", "--site", "s", "--municipality", "m",
                                "--emergency", "e", "--age", "30", "--age-estimate", "28-32", "--age-certainty",
                                "stated", "--age-band", "30-38", "--presumed-minor", "--gender", "female",
                                "--nationality", "sy", "--languages", "ar", "--companion", "accompanied", "--needs",
                                "shelter", "--indicators", "i-1", "--flags", "urgent_medical", "--consent", "services",
                                "--declined-consent", "police", "--consent-by", "person", "--consent-method", "verbal",
                                "--consent-language", "ar", "--next-destination", "de", "--encountered-at", "now",
                                "--exercise"});
  EXPECT_NO_THROW(args.allow_only(kEncounterFlags));
}

TEST(EncounterFlags, AFullCommandLineFillsTheEncounter) {
  const intake::Encounter encounter = encounter_from(
      {"--sector", "social-welfare", "--jurisdiction", "rs", "--site", "rs-presevo-rc", "--municipality", "Presevo",
       "--emergency", "em-2026-01", "--age-estimate", "16-17", "--gender", "female", "--nationality", "sy",
       "--languages", "ar, en", "--companion", "unaccompanied", "--needs", "shelter,legal-aid", "--indicators",
       "ilo-1a,ilo-4c", "--flags", "urgent-medical,presumed_child", "--consent", "services,identification",
       "--consent-method", "verbal", "--consent-language", "ar", "--next-destination", "de", "--encountered-at",
       "2026-03-01T14:05:00Z", "--exercise", "--presumed-minor"});

  EXPECT_EQ(encounter.reporter().sector(), common::SECTOR_SOCIAL_WELFARE);
  EXPECT_EQ(encounter.reporter().jurisdiction(), common::JURISDICTION_RS);
  EXPECT_EQ(encounter.reporter().site().site_id(), "rs-presevo-rc");
  EXPECT_EQ(encounter.reporter().site().municipality(), "Presevo");
  EXPECT_EQ(encounter.context().emergency_id(), "em-2026-01");

  const auto& person = encounter.person();
  EXPECT_EQ(person.age().estimate_min_years(), 16u);
  EXPECT_EQ(person.age().estimate_max_years(), 17u);
  EXPECT_FALSE(person.age().has_years());
  EXPECT_TRUE(person.age().presumed_minor());
  EXPECT_EQ(person.gender(), common::GENDER_FEMALE);
  EXPECT_EQ(person.nationality().status(), common::NATIONALITY_STATUS_KNOWN);
  EXPECT_EQ(person.nationality().country_code(), "SY");
  EXPECT_THAT(person.languages(), ElementsAre("ar", "en"));
  EXPECT_EQ(person.companion_status(), common::COMPANION_STATUS_UNACCOMPANIED);

  ASSERT_EQ(encounter.needs_size(), 2);
  EXPECT_EQ(encounter.needs(0).type(), common::NEED_TYPE_SHELTER);
  EXPECT_EQ(encounter.needs(1).type(), common::NEED_TYPE_LEGAL_AID);
  EXPECT_THAT(encounter.observed_indicator_ids(), ElementsAre("ilo-1a", "ilo-4c"));
  EXPECT_TRUE(encounter.reported_flags().urgent_medical());
  EXPECT_TRUE(encounter.reported_flags().presumed_child());
  EXPECT_FALSE(encounter.reported_flags().immediate_danger());

  EXPECT_THAT(encounter.consent().scopes(),
              ElementsAre(common::CONSENT_SCOPE_SERVICES, common::CONSENT_SCOPE_IDENTIFICATION));
  EXPECT_EQ(encounter.consent().method(), common::CONSENT_METHOD_VERBAL);
  EXPECT_EQ(encounter.consent().informed_in_language(), "ar");

  EXPECT_EQ(encounter.next_destination().jurisdiction(), common::JURISDICTION_OTHER);
  EXPECT_EQ(encounter.next_destination().country_code(), "DE");
  EXPECT_EQ(TimeUtil::ToString(encounter.encountered_at()), "2026-03-01T14:05:00Z");
  EXPECT_TRUE(encounter.exercise());
}

TEST(EncounterFlags, ListsAddToTheFileWithoutRepeatingAndSingleValuesReplace) {
  intake::Encounter from_file;
  from_file.add_needs()->set_type(common::NEED_TYPE_SHELTER);
  from_file.mutable_person()->add_languages("ar");
  from_file.mutable_person()->set_gender(common::GENDER_MALE);
  from_file.add_observed_indicator_ids("ilo-1a");
  from_file.mutable_consent()->add_scopes(common::CONSENT_SCOPE_SERVICES);

  const intake::Encounter encounter =
      encounter_from({"--needs", "shelter,interpreter", "--languages", "en,ar", "--gender", "female", "--indicators",
                      "ilo-1a,ilo-2b", "--consent", "services,police"},
                     from_file);

  ASSERT_EQ(encounter.needs_size(), 2);
  EXPECT_EQ(encounter.needs(0).type(), common::NEED_TYPE_SHELTER);
  EXPECT_EQ(encounter.needs(1).type(), common::NEED_TYPE_INTERPRETER);
  EXPECT_THAT(encounter.person().languages(), ElementsAre("ar", "en"));
  EXPECT_EQ(encounter.person().gender(), common::GENDER_FEMALE);
  EXPECT_THAT(encounter.observed_indicator_ids(), ElementsAre("ilo-1a", "ilo-2b"));
  EXPECT_THAT(encounter.consent().scopes(), ElementsAre(common::CONSENT_SCOPE_SERVICES, common::CONSENT_SCOPE_POLICE));
}

TEST(EncounterFlags, NoFlagsLeaveTheFileAsItWas) {
  intake::Encounter from_file;
  from_file.mutable_person()->set_gender(common::GENDER_MALE);
  from_file.add_needs()->set_type(common::NEED_TYPE_SHELTER);
  const intake::Encounter encounter = encounter_from({}, from_file);
  EXPECT_EQ(encounter.person().gender(), common::GENDER_MALE);
  EXPECT_EQ(encounter.needs_size(), 1);
  EXPECT_FALSE(encounter.has_consent());
  EXPECT_FALSE(encounter.has_next_destination());
  EXPECT_FALSE(encounter.exercise());
}

TEST(EncounterFlags, AHubJurisdictionAsNextDestinationIsThatJurisdiction) {
  const intake::Encounter encounter = encounter_from({"--next-destination", "mk"});
  EXPECT_EQ(encounter.next_destination().jurisdiction(), common::JURISDICTION_MK);
  EXPECT_TRUE(encounter.next_destination().country_code().empty());
}

TEST(EncounterFlags, NationalityMayBeUnknownOrStateless) {
  EXPECT_EQ(encounter_from({"--nationality", "unknown"}).person().nationality().status(),
            common::NATIONALITY_STATUS_UNKNOWN);
  const auto stateless = encounter_from({"--nationality", "Stateless"}).person().nationality();
  EXPECT_EQ(stateless.status(), common::NATIONALITY_STATUS_STATELESS);
  EXPECT_TRUE(stateless.country_code().empty());
}

TEST(EncounterFlags, ANeedThatIsNotOneOfTheChoicesIsAUsageErrorListingThem) {
  EXPECT_THAT([] { encounter_from({"--needs", "shelter,castle"}); },
              ThrowsMessage<UsageError>(AllOf(HasSubstr("--needs 'castle' is not one of:"), HasSubstr("shelter"),
                                              HasSubstr("legal_aid"))));
}

struct BadFlag {
  std::vector<std::string> line;
  const char* message;
};

class EncounterFlagsRefused : public ::testing::TestWithParam<BadFlag> {};

TEST_P(EncounterFlagsRefused, IsAUsageErrorWithAClearMessage) {
  const BadFlag& bad = GetParam();
  EXPECT_THAT([&] { encounter_from(bad.line); }, ThrowsMessage<UsageError>(HasSubstr(bad.message)));
}

INSTANTIATE_TEST_SUITE_P(
    BadValues, EncounterFlagsRefused,
    ::testing::Values(
        // OTHER is only ever a next destination, never a hub's jurisdiction.
        BadFlag{{"--jurisdiction", "other"}, "--jurisdiction 'other' is not one of: al, ba, xk, me, mk, rs"},
        BadFlag{{"--sector", "army"}, "--sector 'army' is not one of:"},
        BadFlag{{"--age", "121"}, "--age '121' is not an age in years from 0 to 120"},
        BadFlag{{"--age", "-1"}, "--age '-1' is not an age in years"},
        BadFlag{{"--age", "about 30"}, "--age 'about 30' is not an age in years"},
        BadFlag{{"--age-estimate", "16"}, "--age-estimate '16' is not a range such as 16-19"},
        BadFlag{{"--age-estimate", "19-16"}, "--age-estimate '19-16' runs backwards"},
        BadFlag{{"--age-estimate", "16-"}, "--age-estimate '' is not an age in years"},
        BadFlag{{"--age-band", "18-25"}, "--age-band '18-25' is not one of:"},
        BadFlag{{"--nationality", "Syria"}, "--nationality 'Syria' is not an ISO 3166 country code"},
        BadFlag{{"--flags", "urgent-medical,scared"}, "--flags 'scared' is not one of: presumed_child"},
        BadFlag{{"--consent", ","}, "--consent is empty"},
        BadFlag{{"--next-destination", "Germany"}, "--next-destination 'Germany' is not a jurisdiction"},
        BadFlag{{"--encountered-at", "yesterday"},
                "--encountered-at 'yesterday' is not an RFC 3339 time such as 2026-03-01T14:05:00Z"}));

TEST(EncounterFlags, AConsentGivenByAGuardianMustNameThemInTheFile) {
  // The guardian's name is personal data: never on the command line.
  EXPECT_THAT([] { encounter_from({"--consent", "services", "--consent-by", "guardian"}); },
              ThrowsMessage<InputError>(HasSubstr("give it in the --file")));

  intake::Encounter from_file;
  from_file.mutable_consent()->set_giver_name("Named Guardian");
  const intake::Encounter encounter = encounter_from({"--consent-by", "guardian"}, from_file);
  EXPECT_EQ(encounter.consent().given_by(), common::CONSENT_GIVER_GUARDIAN);
}

TEST(CompleteEncounter, FillsTheReporterFromTheCallerAndPlacesTheEncounterAtTheReportersSite) {
  intake::Encounter encounter = encounter_from({"--site", "rs-presevo-rc"});
  complete_encounter(caller_in({"RS"}), encounter);

  EXPECT_EQ(encounter.reporter().organization_id(), "rs-crc");
  EXPECT_EQ(encounter.reporter().jurisdiction(), common::JURISDICTION_RS);
  EXPECT_EQ(encounter.reporter().site().jurisdiction(), common::JURISDICTION_RS);
  EXPECT_EQ(encounter.context().site().site_id(), "rs-presevo-rc");
  EXPECT_EQ(encounter.context().site().jurisdiction(), common::JURISDICTION_RS);
  EXPECT_TRUE(encounter.has_encountered_at());
}

TEST(CompleteEncounter, KeepsWhatWasGiven) {
  intake::Encounter encounter =
      encounter_from({"--jurisdiction", "mk", "--encountered-at", "2026-03-01T14:05:00Z", "--consent", "services",
                      "--consent-by", "person"});
  encounter.mutable_reporter()->set_organization_id("mk-red-cross");
  complete_encounter(caller_in({"RS"}), encounter);

  EXPECT_EQ(encounter.reporter().organization_id(), "mk-red-cross");
  EXPECT_EQ(encounter.reporter().jurisdiction(), common::JURISDICTION_MK);
  EXPECT_EQ(TimeUtil::ToString(encounter.encountered_at()), "2026-03-01T14:05:00Z");
  // A consent recorded with the encounter was given then.
  EXPECT_EQ(TimeUtil::ToString(encounter.consent().given_at()), "2026-03-01T14:05:00Z");
}

TEST(CompleteEncounter, LeavesTheJurisdictionOpenForACallerWorkingInSeveral) {
  intake::Encounter encounter;
  complete_encounter(caller_in({"RS", "MK"}), encounter);
  EXPECT_EQ(encounter.reporter().jurisdiction(), common::JURISDICTION_UNSPECIFIED);
}

TEST(CompleteEncounter, AConsentWithoutAGiverWasGivenByThePerson) {
  intake::Encounter encounter = encounter_from({"--consent", "services"});
  complete_encounter(caller_in({"RS"}), encounter);
  EXPECT_EQ(encounter.consent().given_by(), common::CONSENT_GIVER_PERSON);
  EXPECT_TRUE(encounter.consent().has_given_at());
}

TEST(CompleteEncounter, AnEstimateIsEstimatedAndGetsTheBandContainingIt) {
  intake::Encounter encounter = encounter_from({"--age-estimate", "31-35"});
  complete_encounter(caller_in({"RS"}), encounter);
  EXPECT_EQ(encounter.person().age().certainty(), common::AGE_CERTAINTY_ESTIMATED);
  EXPECT_EQ(encounter.person().age().band(), common::AGE_BAND_30_38);
}

TEST(CompleteEncounter, AnEstimateAcrossTwoBandsLeavesTheBandToThePerson) {
  intake::Encounter encounter = encounter_from({"--age-estimate", "16-19"});
  complete_encounter(caller_in({"RS"}), encounter);
  EXPECT_EQ(encounter.person().age().certainty(), common::AGE_CERTAINTY_ESTIMATED);
  EXPECT_EQ(encounter.person().age().band(), common::AGE_BAND_UNSPECIFIED);
}

TEST(CompleteEncounter, AnAgeInYearsGetsItsBandButNoCertainty) {
  intake::Encounter encounter = encounter_from({"--age", "48"});
  complete_encounter(caller_in({"RS"}), encounter);
  EXPECT_EQ(encounter.person().age().band(), common::AGE_BAND_48_PLUS);
  EXPECT_EQ(encounter.person().age().certainty(), common::AGE_CERTAINTY_UNSPECIFIED);
}

TEST(CompleteEncounter, APresumedMinorsBandIsNeverForced) {
  intake::Encounter encounter = encounter_from({"--age-estimate", "18-20", "--presumed-minor"});
  complete_encounter(caller_in({"RS"}), encounter);
  EXPECT_EQ(encounter.person().age().band(), common::AGE_BAND_UNSPECIFIED);
}

TEST(CompleteEncounter, AGivenBandIsKept) {
  intake::Encounter encounter = encounter_from({"--age", "25", "--age-band", "27-29"});
  complete_encounter(caller_in({"RS"}), encounter);
  EXPECT_EQ(encounter.person().age().band(), common::AGE_BAND_27_29);
}

}  // namespace
}  // namespace pactctl
