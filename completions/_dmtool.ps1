
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
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'man')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'dmtool;status' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every status code')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;alert' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'List every Alert code')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;completions' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;man' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'How to print records')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the table view: auto colours when stdout is a terminal, NO_COLOR is unset and TERM is not "dumb". json/jsonl/csv/tsv are never coloured')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'dmtool;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Decode OMA DM status codes: meaning, class, what it means in a DM session and what to check')
            [CompletionResult]::new('alert', 'alert', [CompletionResultType]::ParameterValue, 'Decode OMA DM Alert codes (1100–1104 user interaction, 1200/1201 session start, 1222–1226); OMA DS sync Alerts are recognised and marked as such')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'man')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
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
