#pragma once

#include <string_view>
#include <vector>

#include "arguments.h"
#include "pact/intake/v1/intake.pb.h"
#include "rpc/caller.h"

namespace pactctl {

// The flags `register` turns into encounter fields. Only coarse attributes, ids and choices:
// names, documents, contacts and notes come from a file, so personal data stays out of shell
// history and the process list.
extern const std::vector<std::string_view> kEncounterFlags;

// Applies the encounter flags present in `args` on top of `encounter` (read from a file, or
// empty): single values replace, lists (needs, indicators, languages, consent scopes) add.
// Throws UsageError for a value that is not one of the choices.
void apply_encounter_flags(const Arguments& args, pact::intake::v1::Encounter& encounter);

// Fills what follows from what is there, leaving every real choice to the person registering
// (intake reports what is still missing, field by field):
// - the reporter's organisation is the caller's (intake requires them to match), the
//   jurisdiction the caller's only one, the site lies in the reporter's jurisdiction, and the
//   encounter took place at the reporter's site;
// - the encounter took place now, and a consent recorded with it was given then, by the person;
// - an age estimate is ESTIMATED, and the age band is the HTCDS band containing the age or the
//   estimate (aggregates count bands; intake checks the band but does not derive it). Never for a
//   presumed minor, whose band may stay open rather than be forced to an adult value.
void complete_encounter(const pact::rpc::Caller& caller, pact::intake::v1::Encounter& encounter);

}  // namespace pactctl
