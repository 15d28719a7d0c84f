#include "case_summary.h"

#include <algorithm>
#include <cctype>

namespace pact::intake {

std::string reference_code_for(const std::string& case_id, common::v1::Jurisdiction jurisdiction) {
  std::string body = case_id.substr(case_id.find('-') + 1, 8);
  std::transform(body.begin(), body.end(), body.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string prefix = common::v1::Jurisdiction_Name(jurisdiction);
  prefix = prefix.substr(prefix.rfind('_') + 1);
  return prefix + "-" + body.substr(0, 4) + "-" + body.substr(4);
}

v1::CaseSummary summarise(const v1::Case& case_record) {
  const v1::Encounter& encounter = case_record.encounter();
  v1::CaseSummary summary = case_record.summary();  // identity, status, sequence and times are kept
  const auto& site = encounter.context().has_site() ? encounter.context().site() : encounter.reporter().site();
  summary.set_jurisdiction(encounter.reporter().jurisdiction());
  *summary.mutable_site() = site;
  summary.set_emergency_id(encounter.context().emergency_id());
  summary.set_reporter_sector(encounter.reporter().sector());
  summary.set_reporter_organization_id(encounter.reporter().organization_id());
  *summary.mutable_age() = encounter.person().age();
  summary.set_gender(encounter.person().gender());
  *summary.mutable_nationality() = encounter.person().nationality();
  *summary.mutable_languages() = encounter.person().languages();
  summary.set_companion_status(encounter.person().companion_status());
  summary.set_next_destination_jurisdiction(encounter.next_destination().jurisdiction());
  summary.set_next_destination_country_code(encounter.next_destination().country_code());
  summary.clear_need_types();
  for (const auto& need : encounter.needs()) summary.add_need_types(need.type());
  // Effective consent: the scopes of every consent not withdrawn, once each.
  summary.clear_consent_scopes();
  auto add_scopes = [&](const common::v1::Consent& consent) {
    if (consent.withdrawn()) return;
    for (int scope : consent.scopes()) {
      if (std::find(summary.consent_scopes().begin(), summary.consent_scopes().end(), scope) ==
          summary.consent_scopes().end()) {
        summary.add_consent_scopes(static_cast<common::v1::ConsentScope>(scope));
      }
    }
  };
  for (const auto& consent : case_record.consents()) add_scopes(consent);
  *summary.mutable_reported_flags() = encounter.reported_flags();
  summary.set_possible_duplicate_count(static_cast<std::uint32_t>(case_record.possible_duplicates_size()));
  summary.set_handed_in(case_record.has_handoff_origin());
  summary.set_exercise(encounter.exercise());
  return summary;
}

}  // namespace pact::intake
