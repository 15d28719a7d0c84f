#include "encounter_flags.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>

#include "proto_text.h"

namespace pactctl {
namespace {

namespace common = pact::common::v1;
namespace intake = pact::intake::v1;

constexpr std::uint32_t kMaxAgeYears = 120;

// The MARRI jurisdictions a hub serves; OTHER is only ever a next destination.
const std::vector<common::Jurisdiction> kHubJurisdictions = {
    common::JURISDICTION_AL, common::JURISDICTION_BA, common::JURISDICTION_XK,
    common::JURISDICTION_ME, common::JURISDICTION_MK, common::JURISDICTION_RS};

// IOM HTCDS age bands in years, both ends included.
struct BandYears {
  common::AgeBand band;
  std::uint32_t min;
  std::uint32_t max;
};
constexpr std::array<BandYears, 9> kAgeBands = {{
    {common::AGE_BAND_0_8, 0, 8},
    {common::AGE_BAND_9_17, 9, 17},
    {common::AGE_BAND_18_20, 18, 20},
    {common::AGE_BAND_21_23, 21, 23},
    {common::AGE_BAND_24_26, 24, 26},
    {common::AGE_BAND_27_29, 27, 29},
    {common::AGE_BAND_30_38, 30, 38},
    {common::AGE_BAND_39_47, 39, 47},
    {common::AGE_BAND_48_PLUS, 48, kMaxAgeYears},
}};

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool is_country_code(const std::string& code) {
  return code.size() == 2 && std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::uint32_t age_years(std::string_view text, std::string_view flag) {
  std::uint32_t years = 0;
  auto [stop, error] = std::from_chars(text.data(), text.data() + text.size(), years);
  if (error != std::errc() || stop != text.data() + text.size() || years > kMaxAgeYears) {
    throw UsageError(std::string(flag) + " '" + std::string(text) + "' is not an age in years from 0 to 120");
  }
  return years;
}

std::optional<common::AgeBand> band_of(std::uint32_t min, std::uint32_t max) {
  for (const auto& row : kAgeBands) {
    if (min >= row.min && max <= row.max) return row.band;
  }
  return std::nullopt;  // the range spans two bands: leave the choice to the person
}

// Lists from a file and from flags merge without repeating an entry (intake refuses repeats).
template <typename E>
void add_unique(google::protobuf::RepeatedField<int>& list, E value) {
  if (std::find(list.begin(), list.end(), static_cast<int>(value)) == list.end()) list.Add(value);
}

void add_unique(google::protobuf::RepeatedPtrField<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) *list.Add() = value;
}

void apply_reporter(const Arguments& args, intake::Encounter& encounter) {
  intake::Reporter& reporter = *encounter.mutable_reporter();
  if (auto sector = args.find("sector")) reporter.set_sector(parse_enum_as<common::Sector>(*sector, "--sector"));
  if (auto jurisdiction = args.find("jurisdiction")) {
    reporter.set_jurisdiction(parse_enum_as<common::Jurisdiction>(*jurisdiction, "--jurisdiction", kHubJurisdictions));
  }
  if (auto site = args.find("site")) reporter.mutable_site()->set_site_id(*site);
  if (auto municipality = args.find("municipality")) reporter.mutable_site()->set_municipality(*municipality);
  if (auto emergency = args.find("emergency")) encounter.mutable_context()->set_emergency_id(*emergency);
}

void apply_age(const Arguments& args, common::Age& age) {
  if (auto years = args.find("age")) age.set_years(age_years(*years, "--age"));
  if (auto range = args.find("age-estimate")) {
    const auto dash = range->find('-');
    if (dash == std::string::npos) throw UsageError("--age-estimate '" + *range + "' is not a range such as 16-19");
    const std::uint32_t min = age_years(range->substr(0, dash), "--age-estimate");
    const std::uint32_t max = age_years(range->substr(dash + 1), "--age-estimate");
    if (min > max) throw UsageError("--age-estimate '" + *range + "' runs backwards");
    age.set_estimate_min_years(min);
    age.set_estimate_max_years(max);
  }
  if (auto certainty = args.find("age-certainty")) {
    age.set_certainty(parse_enum_as<common::AgeCertainty>(*certainty, "--age-certainty"));
  }
  if (auto band = args.find("age-band")) age.set_band(parse_enum_as<common::AgeBand>(*band, "--age-band"));
  if (args.on("presumed-minor")) age.set_presumed_minor(true);
}

void apply_nationality(const std::string& text, common::Nationality& nationality) {
  const std::string code = upper(text);
  nationality.clear_country_code();
  if (code == "UNKNOWN") {
    nationality.set_status(common::NATIONALITY_STATUS_UNKNOWN);
  } else if (code == "STATELESS") {
    nationality.set_status(common::NATIONALITY_STATUS_STATELESS);
  } else if (is_country_code(code)) {
    nationality.set_status(common::NATIONALITY_STATUS_KNOWN);
    nationality.set_country_code(code);
  } else {
    throw UsageError("--nationality '" + text + "' is not an ISO 3166 country code (SY, AF, XK), unknown or stateless");
  }
}

void apply_person(const Arguments& args, intake::Person& person) {
  apply_age(args, *person.mutable_age());
  if (auto gender = args.find("gender")) person.set_gender(parse_enum_as<common::Gender>(*gender, "--gender"));
  if (auto nationality = args.find("nationality")) apply_nationality(*nationality, *person.mutable_nationality());
  if (auto languages = args.find("languages")) {
    for (const auto& language : split_list(*languages)) add_unique(*person.mutable_languages(), language);
  }
  if (auto companion = args.find("companion")) {
    person.set_companion_status(parse_enum_as<common::CompanionStatus>(*companion, "--companion"));
  }
}

// Flags are named after the fields of pact.screening.v1.Flags, read from its descriptor.
void apply_reported_flags(const std::string& text, pact::screening::v1::Flags& flags) {
  const auto* descriptor = flags.GetDescriptor();
  std::string choices;
  for (int i = 0; i < descriptor->field_count(); ++i) choices += (i ? ", " : "") + descriptor->field(i)->name();
  for (auto name : split_list(text)) {
    std::replace(name.begin(), name.end(), '-', '_');
    const auto* field = descriptor->FindFieldByName(name);
    if (field == nullptr || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_BOOL) {
      throw UsageError("--flags '" + name + "' is not one of: " + choices);
    }
    flags.GetReflection()->SetBool(&flags, field, true);
  }
}

void apply_consent(const Arguments& args, common::Consent& consent) {
  if (auto scopes = args.find("consent")) {
    for (auto scope : parse_enum_list<common::ConsentScope>(*scopes, "--consent")) add_unique(*consent.mutable_scopes(), scope);
  }
  if (auto scopes = args.find("declined-consent")) {
    for (auto scope : parse_enum_list<common::ConsentScope>(*scopes, "--declined-consent")) {
      add_unique(*consent.mutable_declined_scopes(), scope);
    }
  }
  if (auto giver = args.find("consent-by")) {
    consent.set_given_by(parse_enum_as<common::ConsentGiver>(*giver, "--consent-by"));
    if (consent.given_by() != common::CONSENT_GIVER_PERSON && consent.giver_name().empty()) {
      throw InputError("a consent given by a guardian or legal representative names them (consent.giver_name): "
                       "give it in the --file, not on the command line");
    }
  }
  if (auto method = args.find("consent-method")) {
    consent.set_method(parse_enum_as<common::ConsentMethod>(*method, "--consent-method"));
  }
  if (auto language = args.find("consent-language")) consent.set_informed_in_language(*language);
}

bool any_of_flags(const Arguments& args, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* name) { return args.has(name); });
}

void apply_next_destination(const std::string& text, intake::NextDestination& destination) {
  const std::string code = upper(text);
  for (auto jurisdiction : kHubJurisdictions) {
    if (upper(label(jurisdiction)) == code) {
      destination.set_jurisdiction(jurisdiction);
      destination.clear_country_code();
      return;
    }
  }
  if (!is_country_code(code)) {
    throw UsageError("--next-destination '" + text + "' is not a jurisdiction (AL, BA, XK, ME, MK, RS) or a country code");
  }
  destination.set_jurisdiction(common::JURISDICTION_OTHER);  // no hub serves it
  destination.set_country_code(code);
}

void complete_age(common::Age& age) {
  const bool estimated = age.has_estimate_min_years() && age.has_estimate_max_years();
  if (age.certainty() == common::AGE_CERTAINTY_UNSPECIFIED && estimated && !age.has_years()) {
    age.set_certainty(common::AGE_CERTAINTY_ESTIMATED);
  }
  if (age.band() != common::AGE_BAND_UNSPECIFIED || age.presumed_minor()) return;
  std::optional<common::AgeBand> band;
  if (age.has_years()) {
    band = band_of(age.years(), age.years());
  } else if (estimated) {
    band = band_of(age.estimate_min_years(), age.estimate_max_years());
  }
  if (band) age.set_band(*band);
}

}  // namespace

const std::vector<std::string_view> kEncounterFlags = {
    "sector",      "jurisdiction",   "site",         "municipality",    "emergency",     "age",
    "age-estimate", "age-certainty", "age-band",     "presumed-minor",  "gender",        "nationality",
    "languages",   "companion",      "needs",        "indicators",      "flags",         "consent",
    "declined-consent", "consent-by", "consent-method", "consent-language", "next-destination", "encountered-at",
    "exercise"};

void apply_encounter_flags(const Arguments& args, intake::Encounter& encounter) {
  apply_reporter(args, encounter);
  if (any_of_flags(args, {"age", "age-estimate", "age-certainty", "age-band", "gender", "nationality", "languages",
                          "companion"}) ||
      args.on("presumed-minor")) {
    apply_person(args, *encounter.mutable_person());
  }
  if (auto needs = args.find("needs")) {
    for (auto type : parse_enum_list<common::NeedType>(*needs, "--needs")) {
      const bool present = std::any_of(encounter.needs().begin(), encounter.needs().end(),
                                       [&](const intake::Need& need) { return need.type() == type; });
      if (!present) encounter.add_needs()->set_type(type);
    }
  }
  if (auto indicators = args.find("indicators")) {
    for (const auto& id : split_list(*indicators)) add_unique(*encounter.mutable_observed_indicator_ids(), id);
  }
  if (auto flags = args.find("flags")) apply_reported_flags(*flags, *encounter.mutable_reported_flags());
  if (any_of_flags(args, {"consent", "declined-consent", "consent-by", "consent-method", "consent-language"})) {
    apply_consent(args, *encounter.mutable_consent());
  }
  if (auto destination = args.find("next-destination")) {
    apply_next_destination(*destination, *encounter.mutable_next_destination());
  }
  if (auto at = args.find("encountered-at")) *encounter.mutable_encountered_at() = parse_time(*at, "--encountered-at");
  if (args.on("exercise")) encounter.set_exercise(true);
}

void complete_encounter(const pact::rpc::Caller& caller, intake::Encounter& encounter) {
  intake::Reporter& reporter = *encounter.mutable_reporter();
  if (reporter.organization_id().empty()) reporter.set_organization_id(caller.organisation);
  if (reporter.jurisdiction() == common::JURISDICTION_UNSPECIFIED && caller.jurisdictions.size() == 1) {
    reporter.set_jurisdiction(
        parse_enum_as<common::Jurisdiction>(caller.jurisdictions.front(), "--jurisdictions", kHubJurisdictions));
  }
  if (reporter.has_site() && reporter.site().jurisdiction() == common::JURISDICTION_UNSPECIFIED) {
    reporter.mutable_site()->set_jurisdiction(reporter.jurisdiction());
  }
  if (reporter.has_site() && !encounter.context().has_site()) {
    *encounter.mutable_context()->mutable_site() = reporter.site();
  }
  if (!encounter.has_encountered_at()) *encounter.mutable_encountered_at() = now();
  if (encounter.has_consent()) {
    common::Consent& consent = *encounter.mutable_consent();
    if (!consent.has_given_at()) *consent.mutable_given_at() = encounter.encountered_at();
    if (consent.given_by() == common::CONSENT_GIVER_UNSPECIFIED) consent.set_given_by(common::CONSENT_GIVER_PERSON);
  }
  if (encounter.has_person()) complete_age(*encounter.mutable_person()->mutable_age());
}

}  // namespace pactctl
