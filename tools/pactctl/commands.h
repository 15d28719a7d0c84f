#pragma once

#include "arguments.h"

namespace pactctl {

// Every command takes its parsed arguments and returns the exit code:
//   0 success; 1 the call failed or the checked thing is unhealthy; 2 usage or input error
// (commands throw UsageError or InputError for 2, and main prints the command's usage).

// Platform checks (commands.cc).
int health(const Arguments& args);
int check(const Arguments& args);
int token(const Arguments& args);
int topics(const Arguments& args);

// Intake (intake_commands.cc).
int register_encounter(const Arguments& args);  // register
int cases(const Arguments& args);               // case show, cases list

// Routing (routing_commands.cc, directory_commands.cc).
int referrals(const Arguments& args);
int decision(const Arguments& args);
int directory(const Arguments& args);

// Notification (notification_commands.cc).
int notifications(const Arguments& args);
int deliveries(const Arguments& args);

// EOC overview (situation_command.cc).
int situation(const Arguments& args);

}  // namespace pactctl
