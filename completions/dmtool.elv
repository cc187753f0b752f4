
use builtin;
use str;

set edit:completion:arg-completer[dmtool] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dmtool'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dmtool'= {
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand jobs 'List the operations of DM jobs: the troubleshooting guide''s query'
            cand device 'One screen about one phone: its devices, their jobs, the platform the latest explore job found and why, and every failed or unanswered operation. With --log, the phone end to end: its sessions in the log, each job operation beside the command that carried it, the chain of events and where it broke'
            cand db 'Check the job database: the guide''s tables, indexes, plans, the account'
            cand log 'Read the SyncML DM messages in server and client logs'
            cand wbxml 'Binary SyncML (WBXML, `application/vnd.syncml.dm+wbxml`), as most phones of the DME era sent it'
            cand notification 'Decode an OMA DM 1.2 package 0: the notification (SMS / WAP push) that asks a device to open a session'
            cand bootstrap 'Decode a bootstrap (the OTA message that creates the DM account on a phone) and check its MAC'
            cand status 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check'
            cand alert 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff), e.g. `dmtool man > dmtool.1`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;jobs'= {
            cand -f 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --format 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --db 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)'
            cand --password-file 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one'
            cand --connect-timeout 'Seconds to wait for the MySQL server to answer before giving up'
            cand --query-timeout 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit'
            cand --phone 'Only this phone number (d.phoneNumber)'
            cand --device-pk 'Only this device (d.devicePK)'
            cand --imei 'Only the device with this IMEI (d.imei, as the log''s LocURI names it: IMEI:356938035643809 or the digits alone). Needs an imei column'
            cand --since 'Only jobs created at or after this time: 2010-02-05 or 2010-02-05T13:00:00; or today, yesterday, a time ago (2d, 12h, 30m, 1w), counted in UTC'
            cand --until 'Only jobs created at or before this time; a date alone (or today, yesterday) means the end of that day'
            cand --job 'Only this job (j.jobID)'
            cand --status 'Only operations with this status: a code (404), a class (4xx), a name (not_found) or "none" for operations never answered'
            cand --limit 'At most this many rows'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -v 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --verbose 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --failed 'Only failed operations (status 300 or more)'
            cand --show-sql 'Print the SQL, values inlined and quoted for pasting into a MySQL client, instead of running it. (dmtool itself always binds values.)'
            cand --show-secrets 'Show the data of secret nodes (AAuthSecret, AAuthData, ServerPW, … password, nonce): "(hidden)" otherwise, in every format'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;device'= {
            cand -f 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`'
            cand --format 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`'
            cand --db 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)'
            cand --password-file 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one'
            cand --connect-timeout 'Seconds to wait for the MySQL server to answer before giving up'
            cand --query-timeout 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit'
            cand --device-pk 'The device key (d.devicePK) instead of a phone number'
            cand --imei 'The device''s IMEI (d.imei) instead: IMEI:356938035643809, as the log''s LocURI names it, or the digits alone. Needs an imei column'
            cand --log 'The server''s message log (several: rotated files, in any order; gzip read as such): line the device''s jobs up with its sessions'
            cand --session-timeout 'A session with no message for this long, in the log''s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -v 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --verbose 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dmtool;db'= {
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help'
            cand --help 'Print help'
            cand check 'Check the job database: the guide''s tables and columns found or missing, row counts, the indexes the guide''s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server''s version, and whether the account can write. Reads only'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;db;check'= {
            cand -f 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)'
            cand --format 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)'
            cand --db 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)'
            cand --password-file 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one'
            cand --connect-timeout 'Seconds to wait for the MySQL server to answer before giving up'
            cand --query-timeout 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -v 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --verbose 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dmtool;db;help'= {
            cand check 'Check the job database: the guide''s tables and columns found or missing, row counts, the indexes the guide''s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server''s version, and whether the account can write. Reads only'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;db;help;check'= {
        }
        &'dmtool;db;help;help'= {
        }
        &'dmtool;log'= {
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand pretty 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated'
            cand thread 'Match every command with its answer: one row per command, grouped by session'
            cand explain 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;log;pretty'= {
            cand --session 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)'
            cand --device 'Only devices whose LocURI contains this text (any case)'
            cand --since 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)'
            cand --until 'Only what the log wrote at or before this time; a date alone means the end of that day'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -v 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --verbose 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --errors 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings'
            cand --raw 'Print only each message''s XML as it was found, nothing added'
            cand --decode 'Show base64 data decoded (when it is text) and escaped XML in <Data> as elements'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;log;thread'= {
            cand -f 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --format 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --session 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)'
            cand --device 'Only devices whose LocURI contains this text (any case)'
            cand --since 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)'
            cand --until 'Only what the log wrote at or before this time; a date alone means the end of that day'
            cand --session-timeout 'A session with no message for this long, in the log''s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -v 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --verbose 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --errors 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;log;explain'= {
            cand -f 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`'
            cand --format 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`'
            cand --session 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)'
            cand --device 'Only devices whose LocURI contains this text (any case)'
            cand --since 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)'
            cand --until 'Only what the log wrote at or before this time; a date alone means the end of that day'
            cand --session-timeout 'A session with no message for this long, in the log''s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way'
            cand --client-password-file 'Check every Cred the devices sent (syncml:auth-basic, syncml:auth-md5) against this password, read from the file''s first line: wrong password, or a nonce the device did not keep, is said per session'
            cand --client-user 'The user name of the devices'' MD5 credentials, when the SyncHdr carries no Source LocName'
            cand --server-password-file 'Check every Cred the server sent against this password (the DM account''s server password), read from the file''s first line'
            cand --server-id 'The server ID, the user of the server''s credentials'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -v 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --verbose 'Report on stderr what is connected to or read and how long it takes (never a password)'
            cand --errors 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings'
            cand --strict 'Exit with 3 when a session has an error finding or a message is broken'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;log;help'= {
            cand pretty 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated'
            cand thread 'Match every command with its answer: one row per command, grouped by session'
            cand explain 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;log;help;pretty'= {
        }
        &'dmtool;log;help;thread'= {
        }
        &'dmtool;log;help;explain'= {
        }
        &'dmtool;log;help;help'= {
        }
        &'dmtool;wbxml'= {
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand decode 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;wbxml;decode'= {
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand --hex 'The input is hex text, not binary'
            cand --compact 'Print each document''s XML on one line, as decoded, instead of indented'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;wbxml;help'= {
            cand decode 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;wbxml;help;decode'= {
        }
        &'dmtool;wbxml;help;help'= {
        }
        &'dmtool;notification'= {
            cand -f 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --format 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --server-password 'The server''s password, to check the digest (visible to other users in the process list: prefer --password-file)'
            cand --password-file 'Read the server''s password from this file (its first line)'
            cand --nonce 'The server nonce the digest was made with, as text'
            cand --nonce-hex 'The server nonce as hex bytes'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;bootstrap'= {
            cand -f 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)'
            cand --format 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)'
            cand --imsi 'The SIM''s IMSI, for a NETWPIN or USERNETWPIN MAC'
            cand --pin 'The PIN the user was given, for a USERPIN, USERNETWPIN or USERPINMAC MAC (visible in the process list: prefer --pin-file)'
            cand --pin-file 'Read the PIN from this file (its first line)'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand --show-secrets 'Show the accounts'' secrets (hidden otherwise)'
            cand --xml 'Print the document as XML'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;status'= {
            cand -f 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --format 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand --all 'List every status code'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;alert'= {
            cand -f 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --format 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand --all 'List every Alert code'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dmtool;completions'= {
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;man'= {
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured'
            cand -q 'Say nothing on stderr but errors: no notes, no warnings'
            cand --quiet 'Say nothing on stderr but errors: no notes, no warnings'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'dmtool;help'= {
            cand jobs 'List the operations of DM jobs: the troubleshooting guide''s query'
            cand device 'One screen about one phone: its devices, their jobs, the platform the latest explore job found and why, and every failed or unanswered operation. With --log, the phone end to end: its sessions in the log, each job operation beside the command that carried it, the chain of events and where it broke'
            cand db 'Check the job database: the guide''s tables, indexes, plans, the account'
            cand log 'Read the SyncML DM messages in server and client logs'
            cand wbxml 'Binary SyncML (WBXML, `application/vnd.syncml.dm+wbxml`), as most phones of the DME era sent it'
            cand notification 'Decode an OMA DM 1.2 package 0: the notification (SMS / WAP push) that asks a device to open a session'
            cand bootstrap 'Decode a bootstrap (the OTA message that creates the DM account on a phone) and check its MAC'
            cand status 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check'
            cand alert 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such'
            cand completions 'Print a shell completion script'
            cand man 'Print the man page (roff), e.g. `dmtool man > dmtool.1`'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;help;jobs'= {
        }
        &'dmtool;help;device'= {
        }
        &'dmtool;help;db'= {
            cand check 'Check the job database: the guide''s tables and columns found or missing, row counts, the indexes the guide''s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server''s version, and whether the account can write. Reads only'
        }
        &'dmtool;help;db;check'= {
        }
        &'dmtool;help;log'= {
            cand pretty 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated'
            cand thread 'Match every command with its answer: one row per command, grouped by session'
            cand explain 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints'
        }
        &'dmtool;help;log;pretty'= {
        }
        &'dmtool;help;log;thread'= {
        }
        &'dmtool;help;log;explain'= {
        }
        &'dmtool;help;wbxml'= {
            cand decode 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place'
        }
        &'dmtool;help;wbxml;decode'= {
        }
        &'dmtool;help;notification'= {
        }
        &'dmtool;help;bootstrap'= {
        }
        &'dmtool;help;status'= {
        }
        &'dmtool;help;alert'= {
        }
        &'dmtool;help;completions'= {
        }
        &'dmtool;help;man'= {
        }
        &'dmtool;help;help'= {
        }
    ]
    $completions[$command]
}
