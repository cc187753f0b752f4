
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
            cand -f 'How to print records'
            cand --format 'How to print records'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check'
            cand alert 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such'
            cand completions 'Print a shell completion script'
            cand man 'man'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dmtool;status'= {
            cand -f 'How to print records'
            cand --format 'How to print records'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured'
            cand --all 'List every status code'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;alert'= {
            cand -f 'How to print records'
            cand --format 'How to print records'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured'
            cand --all 'List every Alert code'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;completions'= {
            cand -f 'How to print records'
            cand --format 'How to print records'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;man'= {
            cand -f 'How to print records'
            cand --format 'How to print records'
            cand --color 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dmtool;help'= {
            cand status 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check'
            cand alert 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such'
            cand completions 'Print a shell completion script'
            cand man 'man'
            cand help 'Print this message or the help of the given subcommand(s)'
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
