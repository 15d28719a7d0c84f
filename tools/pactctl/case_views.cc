#include "case_views.h"

#include <algorithm>
#include <cctype>

#include "proto_text.h"
#include "table.h"

namespace pactctl {
namespace {

namespace common = pact::common::v1;
namespace intake = pact::intake::v1;
namespace screening = pact::screening::v1;

std::string need_types_text(const google::protobuf::RepeatedField<int>& types) {
  return labels<common::NeedType>(types);
}

std::string next_destination_text(common::Jurisdiction jurisdiction, const std::string& country_code) {
  if (jurisdiction == common::JURISDICTION_OTHER) return country_code.empty() ? "other" : country_code + " (no hub)";
  std::string code = label(jurisdiction);
  std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return code;
}

std::string reporter_text(const intake::Reporter& reporter) {
  std::string out = words(label(reporter.sector()));
  if (!reporter.organization_id().empty()) out += (out.empty() ? "" : ", ") + reporter.organization_id();
  if (!reporter.subject().empty()) out += " (" + reporter.subject() + ")";
  return out;
}

std::string consent_text(const common::Consent& consent) {
  std::string out = labels<common::ConsentScope>(consent.scopes());
  if (out.empty()) out = "nothing agreed";
  if (!consent.declined_scopes().empty()) out += "; declined " + labels<common::ConsentScope>(consent.declined_scopes());
  out += "; by " + words(label(consent.given_by()));
  if (!consent.giver_name().empty()) out += " " + consent.giver_name();
  if (consent.method() != common::CONSENT_METHOD_UNSPECIFIED) out += ", " + label(consent.method());
  if (!consent.informed_in_language().empty()) out += ", informed in " + consent.informed_in_language();
  if (consent.has_given_at()) out += ", " + format_time(consent.given_at());
  if (consent.withdrawn()) out += " [withdrawn " + format_time(consent.withdrawn_at()) + "]";
  return out;
}

std::string identifier_text(const common::PersonalIdentifier& identifier) {
  std::string out = words(label(identifier.type())) + " " + identifier.value();
  if (!identifier.issuing_country().empty()) out += " (" + identifier.issuing_country() + ")";
  if (identifier.document_seen()) out += ", document seen";
  return out;
}

std::string contact_text(const intake::ContactDetail& contact) {
  std::string out = label(contact.type()) + " " + contact.value();
  if (!contact.label().empty()) out += " (" + contact.label() + ")";
  return out;
}

std::string location_text(const common::ExactLocation& location) {
  std::string out = location.description();
  if (location.has_latitude() && location.has_longitude()) {
    out += (out.empty() ? "" : " ") + std::string("at ") + std::to_string(location.latitude()) + "," +
           std::to_string(location.longitude());
  }
  return out;
}

void print_list(std::ostream& out, const std::string& indent, const std::string& heading,
                const std::vector<std::string>& lines) {
  if (lines.empty()) return;
  out << indent << heading << ":\n";
  for (const auto& line : lines) out << indent << "  - " << line << '\n';
}

void print_summary(std::ostream& out, const intake::CaseSummary& summary, const intake::Encounter& encounter) {
  out << "case " << (summary.reference_code().code().empty() ? summary.case_id() : summary.reference_code().code())
      << "  " << words(label(summary.status())) << (summary.exercise() ? "  [EXERCISE]" : "") << '\n';
  print_fields(out,
               {
                   {"case id", summary.case_id()},
                   {"hub", summary.hub()},
                   {"jurisdiction", jurisdiction_code(summary.jurisdiction())},
                   {"site", site_text(summary.site())},
                   {"emergency", summary.emergency_id()},
                   {"reported by", reporter_text(encounter.reporter())},
                   {"reporter sector", encounter.has_reporter() ? "" : words(label(summary.reporter_sector()))},
                   {"encountered", format_time(encounter.encountered_at())},
                   {"age", age_text(summary.age())},
                   {"gender", label(summary.gender())},
                   {"nationality", nationality_text(summary.nationality())},
                   {"languages", joined(summary.languages())},
                   {"companion", words(label(summary.companion_status()))},
                   {"next destination", summary.next_destination_jurisdiction() == common::JURISDICTION_UNSPECIFIED
                                            ? ""
                                            : next_destination_text(summary.next_destination_jurisdiction(),
                                                                    summary.next_destination_country_code())},
                   {"needs", need_types_text(summary.need_types())},
                   {"consent scopes", summary.status() == intake::CASE_STATUS_ERASED
                                          ? ""
                                          : (summary.consent_scopes().empty()
                                                 ? "none"
                                                 : labels<common::ConsentScope>(summary.consent_scopes()))},
                   {"reported flags", flags_text(summary.reported_flags())},
                   {"duplicates", summary.possible_duplicate_count() == 0
                                      ? ""
                                      : std::to_string(summary.possible_duplicate_count()) + " possible (linked, never merged)"},
                   {"handed in", summary.handed_in() ? "yes, from another hub" : ""},
                   {"registered", format_time(summary.created_at())},
                   {"updated", format_time(summary.updated_at())},
                   {"sequence", std::to_string(summary.sequence())},
               },
               "  ");
}

void print_person(std::ostream& out, const intake::Case& case_record) {
  const intake::Encounter& encounter = case_record.encounter();
  const intake::Person& person = encounter.person();
  std::string name = person.given_name();
  if (!person.family_name().empty()) name += (name.empty() ? "" : " ") + person.family_name();
  std::vector<std::string> identifiers;
  for (const auto& identifier : person.identifiers()) identifiers.push_back(identifier_text(identifier));
  std::vector<std::string> contacts;
  for (const auto& contact : person.contacts()) contacts.push_back(contact_text(contact));
  std::vector<std::string> needs;
  for (const auto& need : encounter.needs()) {
    needs.push_back(label(need.type()) + (need.details().empty() ? "" : ": " + need.details()));
  }
  const intake::NextDestination& next = encounter.next_destination();
  std::string travel = next.details();
  if (next.has_expected_departure_at()) {
    travel += (travel.empty() ? "" : "; ") + std::string("leaving ") + format_time(next.expected_departure_at());
  }

  out << "personal data (this read is audited)\n";
  print_fields(out,
               {
                   {"name", name},
                   {"other names", joined(person.other_names(), "; ")},
                   {"date of birth", person.date_of_birth()},
                   {"place of birth", person.place_of_birth()},
                   {"exact location", location_text(encounter.context().exact_location())},
                   {"travel plans", travel},
                   {"reporter", encounter.reporter().display_name()},
                   {"reporter contact", encounter.reporter().contact()},
                   {"indicators", joined(encounter.observed_indicator_ids())},
               },
               "  ");
  print_list(out, "  ", "identifiers", identifiers);
  print_list(out, "  ", "contacts", contacts);
  print_list(out, "  ", "needs", needs);
  std::vector<std::string> consents;
  for (const auto& consent : case_record.consents()) consents.push_back(consent_text(consent));
  print_list(out, "  ", "consents", consents);
  std::vector<std::string> notes;
  if (!encounter.notes().empty()) notes.push_back("at registration: " + encounter.notes());
  for (const auto& note : case_record.notes()) {
    notes.push_back(format_time(note.written_at()) + " " + note.author_subject() + ": " + note.text());
  }
  print_list(out, "  ", "notes", notes);
}

}  // namespace

std::string jurisdiction_code(common::Jurisdiction jurisdiction) { return next_destination_text(jurisdiction, ""); }

std::string joined(const google::protobuf::RepeatedPtrField<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

std::string words(std::string label) {
  std::replace(label.begin(), label.end(), '_', ' ');
  return label;
}

std::string site_text(const common::SiteRef& site) {
  std::string out = site.site_id();
  if (!site.municipality().empty()) out += (out.empty() ? "" : " ") + std::string("(") + site.municipality() + ")";
  return out;
}

std::string age_text(const common::Age& age) {
  std::string out;
  if (age.has_years()) out = std::to_string(age.years());
  if (age.has_estimate_min_years() || age.has_estimate_max_years()) {
    out += (out.empty() ? "" : ", ") + std::string("estimated ") + std::to_string(age.estimate_min_years()) + "-" +
           std::to_string(age.estimate_max_years());
  }
  if (age.certainty() != common::AGE_CERTAINTY_UNSPECIFIED) out += (out.empty() ? "" : " ") + ("(" + label(age.certainty()) + ")");
  if (age.band() != common::AGE_BAND_UNSPECIFIED) out += (out.empty() ? "" : ", ") + ("band " + label(age.band()));
  if (age.presumed_minor()) out += (out.empty() ? "" : ", ") + std::string("PRESUMED MINOR");
  return out;
}

std::string nationality_text(const common::Nationality& nationality) {
  if (nationality.status() != common::NATIONALITY_STATUS_KNOWN) return label(nationality.status());
  std::string out = nationality.country_code();
  for (const auto& more : nationality.additional_country_codes()) out += "," + more;
  return out;
}

std::string flags_text(const screening::Flags& flags) {
  const auto* descriptor = flags.GetDescriptor();
  const auto* reflection = flags.GetReflection();
  std::string out;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_BOOL && reflection->GetBool(flags, field)) {
      out += (out.empty() ? "" : ",") + field->name();
    }
  }
  return out;
}

void print_screening_result(std::ostream& out, const screening::ScreeningResult& result, const std::string& indent) {
  std::string catalogues;
  for (const auto& catalogue : result.catalogues()) {
    catalogues += (catalogues.empty() ? "" : ", ") + catalogue.catalogue_id() + "@" + catalogue.version();
  }
  print_fields(out,
               {
                   {"level", words(label(result.level()))},
                   {"flags", flags_text(result.flags())},
                   {"child rule", result.child_rule_applied() ? "applied (the \"means\" are not required)" : ""},
                   {"catalogues", catalogues},
                   {"result id", result.result_id()},
               },
               indent);
  if (result.level() == screening::LEVEL_NO_INDICATORS_OBSERVED) {
    out << indent << "No indicator was observed in this encounter. That is not a finding about the person.\n";
  }
  std::vector<std::string> recommendations;
  for (const auto& recommendation : result.recommendations()) {
    std::string line = words(label(recommendation.type()));
    if (!recommendation.reason().empty()) line += ": " + recommendation.reason();
    recommendations.push_back(line);
  }
  print_list(out, indent, "recommendations (the software recommends; people decide)", recommendations);
  std::vector<std::string> questions;
  for (const auto& question : result.follow_up_questions()) {
    questions.push_back(question.indicator_id() + ": " + question.text());
  }
  print_list(out, indent, "ask next", questions);
  if (!result.unknown_indicator_ids().empty()) {
    out << indent << "unknown indicator ids: " << joined(result.unknown_indicator_ids()) << '\n';
  }
}

void print_case(std::ostream& out, const intake::Case& case_record) {
  print_summary(out, case_record.summary(), case_record.encounter());
  if (case_record.summary().status() == intake::CASE_STATUS_ERASED) {
    out << "  The case was erased: its personal data is unreadable everywhere.\n";
    return;
  }
  if (case_record.has_handoff_origin()) {
    const auto& origin = case_record.handoff_origin();
    out << "  handed in from hub " << origin.sending_hub() << " (" << jurisdiction_code(origin.sending_jurisdiction())
        << "), their case " << origin.sending_case_id() << ", handoff " << origin.handoff_id() << '\n';
  }
  print_person(out, case_record);
  if (!case_record.possible_duplicates().empty()) {
    out << "possible duplicates (linked, never merged: a case worker decides)\n";
    print_possible_duplicates(out, case_record.possible_duplicates(), "  ");
  }
}

void print_case_summaries(std::ostream& out, const google::protobuf::RepeatedPtrField<intake::CaseSummary>& cases) {
  Table table({"REFERENCE", "CASE ID", "STATUS", "SITE", "SECTOR", "AGE BAND", "GENDER", "NATIONALITY", "NEEDS", "FLAGS",
               "UPDATED"});
  for (const auto& summary : cases) {
    std::string flags = flags_text(summary.reported_flags());
    if (summary.age().presumed_minor()) flags = "presumed_minor" + (flags.empty() ? "" : "," + flags);
    table.add({summary.reference_code().code(), summary.case_id(),
               label(summary.status()) + (summary.exercise() ? " (drill)" : ""), summary.site().site_id(),
               label(summary.reporter_sector()), label(summary.age().band()), label(summary.gender()),
               nationality_text(summary.nationality()), need_types_text(summary.need_types()), flags,
               format_time(summary.updated_at())});
  }
  table.print(out);
}

void print_possible_duplicates(std::ostream& out,
                               const google::protobuf::RepeatedPtrField<intake::PossibleDuplicate>& duplicates,
                               const std::string& indent) {
  Table table({indent + "REFERENCE", "CASE ID", "EVIDENCE", "MATCHED ON", "FOUND"});
  for (const auto& duplicate : duplicates) {
    table.add({indent + duplicate.reference_code().code(), duplicate.case_id(), label(duplicate.evidence_strength()),
               labels<intake::DuplicateBasis>(duplicate.basis()), format_time(duplicate.detected_at())});
  }
  table.print(out);
}

}  // namespace pactctl
