#pragma once

#include <ostream>
#include <string>

#include "pact/intake/v1/intake.pb.h"
#include "pact/screening/v1/screening.pb.h"

namespace pactctl {

// How cases and screening results look to people at a terminal.

// "a,b,c"
std::string joined(const google::protobuf::RepeatedPtrField<std::string>& items, const std::string& separator = ",");

// An enum label as words: "indications_present" -> "indications present".
std::string words(std::string label);

// "RS"; "other" for destinations outside the MARRI participants.
std::string jurisdiction_code(pact::common::v1::Jurisdiction jurisdiction);
std::string site_text(const pact::common::v1::SiteRef& site);
std::string age_text(const pact::common::v1::Age& age);
std::string nationality_text(const pact::common::v1::Nationality& nationality);
// The flags that are set, by name ("immediate_danger,language_barrier").
std::string flags_text(const pact::screening::v1::Flags& flags);

// The guidance a frontline worker acts on: level, flags, recommendations and follow-up questions.
void print_screening_result(std::ostream& out, const pact::screening::v1::ScreeningResult& result,
                            const std::string& indent);

// A whole case: the coarse summary, then the personal data GetCase returned.
void print_case(std::ostream& out, const pact::intake::v1::Case& case_record);

// One line per case for lists.
void print_case_summaries(std::ostream& out,
                          const google::protobuf::RepeatedPtrField<pact::intake::v1::CaseSummary>& cases);

void print_possible_duplicates(std::ostream& out,
                               const google::protobuf::RepeatedPtrField<pact::intake::v1::PossibleDuplicate>& duplicates,
                               const std::string& indent);

}  // namespace pactctl
