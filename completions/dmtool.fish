# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dmtool_global_optspecs
    string join \n color= q/quiet h/help V/version
end

function __fish_dmtool_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dmtool_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dmtool_using_subcommand
    set -l cmd (__fish_dmtool_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dmtool -n "__fish_dmtool_needs_command" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_needs_command" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_needs_command" -s V -l version -d 'Print version'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "jobs" -d 'List the operations of DM jobs: the troubleshooting guide\'s query'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "device" -d 'One screen about one phone: its devices, their jobs, the platform the latest explore job found and why, and every failed or unanswered operation. With --log, the phone end to end: its sessions in the log, each job operation beside the command that carried it, the chain of events and where it broke'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "db" -d 'Check the job database: the guide\'s tables, indexes, plans, the account'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "log" -d 'Read the SyncML DM messages in server and client logs'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "wbxml" -d 'Binary SyncML (WBXML, `application/vnd.syncml.dm+wbxml`), as most phones of the DME era sent it'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "notification" -d 'Decode an OMA DM 1.2 package 0: the notification (SMS / WAP push) that asks a device to open a session'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "bootstrap" -d 'Decode a bootstrap (the OTA message that creates the DM account on a phone) and check its MAC'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "status" -d 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "alert" -d 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "man" -d 'Print the man page (roff), e.g. `dmtool man > dmtool.1`'
complete -c dmtool -n "__fish_dmtool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -s f -l format -d 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''
tsv\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l db -d 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l password-file -d 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one' -r -F
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l connect-timeout -d 'Seconds to wait for the MySQL server to answer before giving up' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l query-timeout -d 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l phone -d 'Only this phone number (d.phoneNumber)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l device-pk -d 'Only this device (d.devicePK)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l imei -d 'Only the device with this IMEI (d.imei, as the log\'s LocURI names it: IMEI:356938035643809 or the digits alone). Needs an imei column' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l since -d 'Only jobs created at or after this time: 2010-02-05 or 2010-02-05T13:00:00; or today, yesterday, a time ago (2d, 12h, 30m, 1w), counted in UTC' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l until -d 'Only jobs created at or before this time; a date alone (or today, yesterday) means the end of that day' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l job -d 'Only this job (j.jobID)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l status -d 'Only operations with this status: a code (404), a class (4xx), a name (not_found) or "none" for operations never answered' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l limit -d 'At most this many rows' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -s v -l verbose -d 'Report on stderr what is connected to or read and how long it takes (never a password)'
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l failed -d 'Only failed operations (status 300 or more)'
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l show-sql -d 'Print the SQL, values inlined and quoted for pasting into a MySQL client, instead of running it. (dmtool itself always binds values.)'
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -l show-secrets -d 'Show the data of secret nodes (AAuthSecret, AAuthData, ServerPW, … password, nonce): "(hidden)" otherwise, in every format'
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand jobs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -s f -l format -d 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`' -r -f -a "table\t''
json\t''
jsonl\t''
html\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l db -d 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l password-file -d 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one' -r -F
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l connect-timeout -d 'Seconds to wait for the MySQL server to answer before giving up' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l query-timeout -d 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l device-pk -d 'The device key (d.devicePK) instead of a phone number' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l imei -d 'The device\'s IMEI (d.imei) instead: IMEI:356938035643809, as the log\'s LocURI names it, or the digits alone. Needs an imei column' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l log -d 'The server\'s message log (several: rotated files, in any order; gzip read as such): line the device\'s jobs up with its sessions' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l session-timeout -d 'A session with no message for this long, in the log\'s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -s v -l verbose -d 'Report on stderr what is connected to or read and how long it takes (never a password)'
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand device" -s h -l help -d 'Print help'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and not __fish_seen_subcommand_from check help" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and not __fish_seen_subcommand_from check help" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Check the job database: the guide\'s tables and columns found or missing, row counts, the indexes the guide\'s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server\'s version, and whether the account can write. Reads only'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -s f -l format -d 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)' -r -f -a "table\t''
json\t''
jsonl\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -l db -d 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -l password-file -d 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one' -r -F
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -l connect-timeout -d 'Seconds to wait for the MySQL server to answer before giving up' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -l query-timeout -d 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Report on stderr what is connected to or read and how long it takes (never a password)'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check the job database: the guide\'s tables and columns found or missing, row counts, the indexes the guide\'s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server\'s version, and whether the account can write. Reads only'
complete -c dmtool -n "__fish_dmtool_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and not __fish_seen_subcommand_from pretty thread explain help" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and not __fish_seen_subcommand_from pretty thread explain help" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and not __fish_seen_subcommand_from pretty thread explain help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and not __fish_seen_subcommand_from pretty thread explain help" -f -a "pretty" -d 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and not __fish_seen_subcommand_from pretty thread explain help" -f -a "thread" -d 'Match every command with its answer: one row per command, grouped by session'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and not __fish_seen_subcommand_from pretty thread explain help" -f -a "explain" -d 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and not __fish_seen_subcommand_from pretty thread explain help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l session -d 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l device -d 'Only devices whose LocURI contains this text (any case)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l since -d 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l until -d 'Only what the log wrote at or before this time; a date alone means the end of that day' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -s v -l verbose -d 'Report on stderr what is connected to or read and how long it takes (never a password)'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l errors -d 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l raw -d 'Print only each message\'s XML as it was found, nothing added'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -l decode -d 'Show base64 data decoded (when it is text) and escaped XML in <Data> as elements'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from pretty" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -s f -l format -d 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''
tsv\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -l session -d 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -l device -d 'Only devices whose LocURI contains this text (any case)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -l since -d 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -l until -d 'Only what the log wrote at or before this time; a date alone means the end of that day' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -l session-timeout -d 'A session with no message for this long, in the log\'s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -s v -l verbose -d 'Report on stderr what is connected to or read and how long it takes (never a password)'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -l errors -d 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from thread" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -s f -l format -d 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`' -r -f -a "table\t''
json\t''
jsonl\t''
html\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l session -d 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l device -d 'Only devices whose LocURI contains this text (any case)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l since -d 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l until -d 'Only what the log wrote at or before this time; a date alone means the end of that day' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l session-timeout -d 'A session with no message for this long, in the log\'s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l client-password-file -d 'Check every Cred the devices sent (syncml:auth-basic, syncml:auth-md5) against this password, read from the file\'s first line: wrong password, or a nonce the device did not keep, is said per session' -r -F
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l client-user -d 'The user name of the devices\' MD5 credentials, when the SyncHdr carries no Source LocName' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l server-password-file -d 'Check every Cred the server sent against this password (the DM account\'s server password), read from the file\'s first line' -r -F
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l server-id -d 'The server ID, the user of the server\'s credentials' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -s v -l verbose -d 'Report on stderr what is connected to or read and how long it takes (never a password)'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l errors -d 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -l strict -d 'Exit with 3 when a session has an error finding or a message is broken'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "pretty" -d 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "thread" -d 'Match every command with its answer: one row per command, grouped by session'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "explain" -d 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints'
complete -c dmtool -n "__fish_dmtool_using_subcommand log; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and not __fish_seen_subcommand_from decode help" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and not __fish_seen_subcommand_from decode help" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and not __fish_seen_subcommand_from decode help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and not __fish_seen_subcommand_from decode help" -f -a "decode" -d 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and not __fish_seen_subcommand_from decode help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and __fish_seen_subcommand_from decode" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and __fish_seen_subcommand_from decode" -l hex -d 'The input is hex text, not binary'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and __fish_seen_subcommand_from decode" -l compact -d 'Print each document\'s XML on one line, as decoded, instead of indented'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and __fish_seen_subcommand_from decode" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and __fish_seen_subcommand_from decode" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and __fish_seen_subcommand_from help" -f -a "decode" -d 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place'
complete -c dmtool -n "__fish_dmtool_using_subcommand wbxml; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -s f -l format -d 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''
tsv\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -l server-password -d 'The server\'s password, to check the digest (visible to other users in the process list: prefer --password-file)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -l password-file -d 'Read the server\'s password from this file (its first line)' -r -F
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -l nonce -d 'The server nonce the digest was made with, as text' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -l nonce-hex -d 'The server nonce as hex bytes' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand notification" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -s f -l format -d 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)' -r -f -a "table\t''
json\t''
jsonl\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -l imsi -d 'The SIM\'s IMSI, for a NETWPIN or USERNETWPIN MAC' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -l pin -d 'The PIN the user was given, for a USERPIN, USERNETWPIN or USERPINMAC MAC (visible in the process list: prefer --pin-file)' -r
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -l pin-file -d 'Read the PIN from this file (its first line)' -r -F
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -l show-secrets -d 'Show the accounts\' secrets (hidden otherwise)'
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -l xml -d 'Print the document as XML'
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand bootstrap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand status" -s f -l format -d 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''
tsv\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand status" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand status" -l all -d 'List every status code'
complete -c dmtool -n "__fish_dmtool_using_subcommand status" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand alert" -s f -l format -d 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs' -r -f -a "table\t''
json\t''
jsonl\t''
csv\t''
tsv\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand alert" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand alert" -l all -d 'List every Alert code'
complete -c dmtool -n "__fish_dmtool_using_subcommand alert" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand alert" -s h -l help -d 'Print help'
complete -c dmtool -n "__fish_dmtool_using_subcommand completions" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand completions" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dmtool -n "__fish_dmtool_using_subcommand man" -l color -d 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured' -r -f -a "auto\t''
always\t''
never\t''"
complete -c dmtool -n "__fish_dmtool_using_subcommand man" -s q -l quiet -d 'Say nothing on stderr but errors: no notes, no warnings'
complete -c dmtool -n "__fish_dmtool_using_subcommand man" -s h -l help -d 'Print help'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "jobs" -d 'List the operations of DM jobs: the troubleshooting guide\'s query'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "device" -d 'One screen about one phone: its devices, their jobs, the platform the latest explore job found and why, and every failed or unanswered operation. With --log, the phone end to end: its sessions in the log, each job operation beside the command that carried it, the chain of events and where it broke'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "db" -d 'Check the job database: the guide\'s tables, indexes, plans, the account'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "log" -d 'Read the SyncML DM messages in server and client logs'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "wbxml" -d 'Binary SyncML (WBXML, `application/vnd.syncml.dm+wbxml`), as most phones of the DME era sent it'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "notification" -d 'Decode an OMA DM 1.2 package 0: the notification (SMS / WAP push) that asks a device to open a session'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "bootstrap" -d 'Decode a bootstrap (the OTA message that creates the DM account on a phone) and check its MAC'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "status" -d 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "alert" -d 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "man" -d 'Print the man page (roff), e.g. `dmtool man > dmtool.1`'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and not __fish_seen_subcommand_from jobs device db log wbxml notification bootstrap status alert completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "check" -d 'Check the job database: the guide\'s tables and columns found or missing, row counts, the indexes the guide\'s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server\'s version, and whether the account can write. Reads only'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "pretty" -d 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "thread" -d 'Match every command with its answer: one row per command, grouped by session'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and __fish_seen_subcommand_from log" -f -a "explain" -d 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints'
complete -c dmtool -n "__fish_dmtool_using_subcommand help; and __fish_seen_subcommand_from wbxml" -f -a "decode" -d 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place'
