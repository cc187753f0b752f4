
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'dmtool' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'dmtool'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'dmtool' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('jobs', 'jobs', [CompletionResultType]::ParameterValue, 'List the operations of DM jobs: the troubleshooting guide''s query')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'One screen about one phone: its devices, their jobs, the platform the latest explore job found and why, and every failed or unanswered operation. With --log, the phone end to end: its sessions in the log, each job operation beside the command that carried it, the chain of events and where it broke')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Check the job database: the guide''s tables, indexes, plans, the account')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Read the SyncML DM messages in server and client logs')
            [CompletionResult]::new('wbxml', 'wbxml', [CompletionResultType]::ParameterValue, 'Binary SyncML (WBXML, `application/vnd.syncml.dm+wbxml`), as most phones of the DME era sent it')
            [CompletionResult]::new('notification', 'notification', [CompletionResultType]::ParameterValue, 'Decode an OMA DM 1.2 package 0: the notification (SMS / WAP push) that asks a device to open a session')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Decode a bootstrap (the OTA message that creates the DM account on a phone) and check its MAC')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), e.g. `dmtool man > dmtool.1`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;jobs' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the MySQL server to answer before giving up')
            [CompletionResult]::new('--query-timeout', '--query-timeout', [CompletionResultType]::ParameterName, 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit')
            [CompletionResult]::new('--phone', '--phone', [CompletionResultType]::ParameterName, 'Only this phone number (d.phoneNumber)')
            [CompletionResult]::new('--device-pk', '--device-pk', [CompletionResultType]::ParameterName, 'Only this device (d.devicePK)')
            [CompletionResult]::new('--imei', '--imei', [CompletionResultType]::ParameterName, 'Only the device with this IMEI (d.imei, as the log''s LocURI names it: IMEI:356938035643809 or the digits alone). Needs an imei column')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only jobs created at or after this time: 2010-02-05 or 2010-02-05T13:00:00; or today, yesterday, a time ago (2d, 12h, 30m, 1w), counted in UTC')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only jobs created at or before this time; a date alone (or today, yesterday) means the end of that day')
            [CompletionResult]::new('--job', '--job', [CompletionResultType]::ParameterName, 'Only this job (j.jobID)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only operations with this status: a code (404), a class (4xx), a name (not_found) or "none" for operations never answered')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many rows')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--failed', '--failed', [CompletionResultType]::ParameterName, 'Only failed operations (status 300 or more)')
            [CompletionResult]::new('--show-sql', '--show-sql', [CompletionResultType]::ParameterName, 'Print the SQL, values inlined and quoted for pasting into a MySQL client, instead of running it. (dmtool itself always binds values.)')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show the data of secret nodes (AAuthSecret, AAuthData, ServerPW, … password, nonce): "(hidden)" otherwise, in every format')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;device' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the MySQL server to answer before giving up')
            [CompletionResult]::new('--query-timeout', '--query-timeout', [CompletionResultType]::ParameterName, 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit')
            [CompletionResult]::new('--device-pk', '--device-pk', [CompletionResultType]::ParameterName, 'The device key (d.devicePK) instead of a phone number')
            [CompletionResult]::new('--imei', '--imei', [CompletionResultType]::ParameterName, 'The device''s IMEI (d.imei) instead: IMEI:356938035643809, as the log''s LocURI names it, or the digits alone. Needs an imei column')
            [CompletionResult]::new('--log', '--log', [CompletionResultType]::ParameterName, 'The server''s message log (several: rotated files, in any order; gzip read as such): line the device''s jobs up with its sessions')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'A session with no message for this long, in the log''s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dmtool;db' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the job database: the guide''s tables and columns found or missing, row counts, the indexes the guide''s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server''s version, and whether the account can write. Reads only')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;db;check' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'The DME job database: mysql://user[:password]@host[:port]/database (add ?ssl=true for TLS), sqlite:PATH or a SQLite file (opened read-only), or demo (the built-in demo database)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the MySQL password from this file (its first line). Without it and without a password in the URL, dmtool asks for one on a terminal when the server wants one')
            [CompletionResult]::new('--connect-timeout', '--connect-timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for the MySQL server to answer before giving up')
            [CompletionResult]::new('--query-timeout', '--query-timeout', [CompletionResultType]::ParameterName, 'Seconds a query may run before it is stopped (MariaDB max_statement_time, MySQL max_execution_time, SQLite interrupted); 0 for no limit')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dmtool;db;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the job database: the guide''s tables and columns found or missing, row counts, the indexes the guide''s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server''s version, and whether the account can write. Reads only')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;db;help;check' {
            break
        }
        'dmtool;db;help;help' {
            break
        }
        'dmtool;log' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('pretty', 'pretty', [CompletionResultType]::ParameterValue, 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated')
            [CompletionResult]::new('thread', 'thread', [CompletionResultType]::ParameterValue, 'Match every command with its answer: one row per command, grouped by session')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;log;pretty' {
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Only devices whose LocURI contains this text (any case)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only what the log wrote at or before this time; a date alone means the end of that day')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--errors', '--errors', [CompletionResultType]::ParameterName, 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings')
            [CompletionResult]::new('--raw', '--raw', [CompletionResultType]::ParameterName, 'Print only each message''s XML as it was found, nothing added')
            [CompletionResult]::new('--decode', '--decode', [CompletionResultType]::ParameterName, 'Show base64 data decoded (when it is text) and escaped XML in <Data> as elements')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;log;thread' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Only devices whose LocURI contains this text (any case)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only what the log wrote at or before this time; a date alone means the end of that day')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'A session with no message for this long, in the log''s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--errors', '--errors', [CompletionResultType]::ParameterName, 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;log;explain' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the report: text for people, json (jsonl: one record a line), or html (one self-contained page). For rows to a spreadsheet, see `dmtool jobs` and `dmtool log thread`')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Only this session (its SessionID; hex IDs in any case: 1a2b finds 1A2B)')
            [CompletionResult]::new('--device', '--device', [CompletionResultType]::ParameterName, 'Only devices whose LocURI contains this text (any case)')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only what the log wrote at or after this time: 2010-06-28, 2010-06-28T13:48, a time copied from the log (2010-06-28 13:48:21,412; a zone such as Z or +02:00 is applied), or today, yesterday, a time ago (2d, 12h; UTC) (a session counts when any of its messages does)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only what the log wrote at or before this time; a date alone means the end of that day')
            [CompletionResult]::new('--session-timeout', '--session-timeout', [CompletionResultType]::ParameterName, 'A session with no message for this long, in the log''s own time, ends as lost once later records show the log went on: seconds, or with a unit (90s, 5m, 1h); 0 never ends one this way')
            [CompletionResult]::new('--client-password-file', '--client-password-file', [CompletionResultType]::ParameterName, 'Check every Cred the devices sent (syncml:auth-basic, syncml:auth-md5) against this password, read from the file''s first line: wrong password, or a nonce the device did not keep, is said per session')
            [CompletionResult]::new('--client-user', '--client-user', [CompletionResultType]::ParameterName, 'The user name of the devices'' MD5 credentials, when the SyncHdr carries no Source LocName')
            [CompletionResult]::new('--server-password-file', '--server-password-file', [CompletionResultType]::ParameterName, 'Check every Cred the server sent against this password (the DM account''s server password), read from the file''s first line')
            [CompletionResult]::new('--server-id', '--server-id', [CompletionResultType]::ParameterName, 'The server ID, the user of the server''s credentials')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Report on stderr what is connected to or read and how long it takes (never a password)')
            [CompletionResult]::new('--errors', '--errors', [CompletionResultType]::ParameterName, 'Only what went wrong: failed (status 300 or more) or unanswered commands; for explain, sessions with errors or warnings')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Exit with 3 when a session has an error finding or a message is broken')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;log;help' {
            [CompletionResult]::new('pretty', 'pretty', [CompletionResultType]::ParameterValue, 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated')
            [CompletionResult]::new('thread', 'thread', [CompletionResultType]::ParameterValue, 'Match every command with its answer: one row per command, grouped by session')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;log;help;pretty' {
            break
        }
        'dmtool;log;help;thread' {
            break
        }
        'dmtool;log;help;explain' {
            break
        }
        'dmtool;log;help;help' {
            break
        }
        'dmtool;wbxml' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;wbxml;decode' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('--hex', '--hex', [CompletionResultType]::ParameterName, 'The input is hex text, not binary')
            [CompletionResult]::new('--compact', '--compact', [CompletionResultType]::ParameterName, 'Print each document''s XML on one line, as decoded, instead of indented')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;wbxml;help' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;wbxml;help;decode' {
            break
        }
        'dmtool;wbxml;help;help' {
            break
        }
        'dmtool;notification' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--server-password', '--server-password', [CompletionResultType]::ParameterName, 'The server''s password, to check the digest (visible to other users in the process list: prefer --password-file)')
            [CompletionResult]::new('--password-file', '--password-file', [CompletionResultType]::ParameterName, 'Read the server''s password from this file (its first line)')
            [CompletionResult]::new('--nonce', '--nonce', [CompletionResultType]::ParameterName, 'The server nonce the digest was made with, as text')
            [CompletionResult]::new('--nonce-hex', '--nonce-hex', [CompletionResultType]::ParameterName, 'The server nonce as hex bytes')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;bootstrap' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the report: text for people, or json (jsonl: one record a line). For rows to a spreadsheet, see the commands that print rows (`dmtool jobs`, `dmtool log thread`)')
            [CompletionResult]::new('--imsi', '--imsi', [CompletionResultType]::ParameterName, 'The SIM''s IMSI, for a NETWPIN or USERNETWPIN MAC')
            [CompletionResult]::new('--pin', '--pin', [CompletionResultType]::ParameterName, 'The PIN the user was given, for a USERPIN, USERNETWPIN or USERPINMAC MAC (visible in the process list: prefer --pin-file)')
            [CompletionResult]::new('--pin-file', '--pin-file', [CompletionResultType]::ParameterName, 'Read the PIN from this file (its first line)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('--show-secrets', '--show-secrets', [CompletionResultType]::ParameterName, 'Show the accounts'' secrets (hidden otherwise)')
            [CompletionResult]::new('--xml', '--xml', [CompletionResultType]::ParameterName, 'Print the document as XML')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;status' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every status code')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;alert' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print the rows: a table for people; json, jsonl, csv or tsv for programs')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every Alert code')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dmtool;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb"; always colours whatever NO_COLOR says. json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Say nothing on stderr but errors: no notes, no warnings')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'dmtool;help' {
            [CompletionResult]::new('jobs', 'jobs', [CompletionResultType]::ParameterValue, 'List the operations of DM jobs: the troubleshooting guide''s query')
            [CompletionResult]::new('device', 'device', [CompletionResultType]::ParameterValue, 'One screen about one phone: its devices, their jobs, the platform the latest explore job found and why, and every failed or unanswered operation. With --log, the phone end to end: its sessions in the log, each job operation beside the command that carried it, the chain of events and where it broke')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Check the job database: the guide''s tables, indexes, plans, the account')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Read the SyncML DM messages in server and client logs')
            [CompletionResult]::new('wbxml', 'wbxml', [CompletionResultType]::ParameterValue, 'Binary SyncML (WBXML, `application/vnd.syncml.dm+wbxml`), as most phones of the DME era sent it')
            [CompletionResult]::new('notification', 'notification', [CompletionResultType]::ParameterValue, 'Decode an OMA DM 1.2 package 0: the notification (SMS / WAP push) that asks a device to open a session')
            [CompletionResult]::new('bootstrap', 'bootstrap', [CompletionResultType]::ParameterValue, 'Decode a bootstrap (the OTA message that creates the DM account on a phone) and check its MAC')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), e.g. `dmtool man > dmtool.1`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;help;jobs' {
            break
        }
        'dmtool;help;device' {
            break
        }
        'dmtool;help;db' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check the job database: the guide''s tables and columns found or missing, row counts, the indexes the guide''s query and the device report need, the plan the database makes for them (EXPLAIN: a full scan is named), the CREATE INDEX statements for what is missing, the server''s version, and whether the account can write. Reads only')
            break
        }
        'dmtool;help;db;check' {
            break
        }
        'dmtool;help;log' {
            [CompletionResult]::new('pretty', 'pretty', [CompletionResultType]::ParameterValue, 'Print each message indented, with a header line (file:line, time, direction, session, MsgID) and status and Alert codes annotated')
            [CompletionResult]::new('thread', 'thread', [CompletionResultType]::ParameterValue, 'Match every command with its answer: one row per command, grouped by session')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'Explain each session in plain words: the device, how it authenticated, what was asked and answered, and first what went wrong, with hints')
            break
        }
        'dmtool;help;log;pretty' {
            break
        }
        'dmtool;help;log;thread' {
            break
        }
        'dmtool;help;log;explain' {
            break
        }
        'dmtool;help;wbxml' {
            [CompletionResult]::new('decode', 'decode', [CompletionResultType]::ParameterValue, 'Print a WBXML document as XML: SyncML 1.0–1.2 (DS and DM), MetInf, DevInf and DM DDF, DevInf nested in OPAQUE data decoded in place')
            break
        }
        'dmtool;help;wbxml;decode' {
            break
        }
        'dmtool;help;notification' {
            break
        }
        'dmtool;help;bootstrap' {
            break
        }
        'dmtool;help;status' {
            break
        }
        'dmtool;help;alert' {
            break
        }
        'dmtool;help;completions' {
            break
        }
        'dmtool;help;man' {
            break
        }
        'dmtool;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
