# sendoff-cli.bash — bash completion of sendoff-cli
# Copyright 2026 The Sendoff authors
# SPDX-License-Identifier: GPL-3.0-or-later

# Backends and their option keys come from the program itself ("help
# destination add" lists them), so a new backend needs nothing here; the
# built-in ones are the fallback when it cannot be run.
_sendoff_cli_backends()
{
    local ids
    ids=$("$1" help destination add 2>/dev/null |
        awk '/^  [a-z0-9]/ { id = $1; next } /^    -o / && id != "" { print id; id = "" }')
    echo "${ids:-wetransfer-v1 wunderlist}"
}

_sendoff_cli_option_keys()
{
    local keys
    keys=$("$1" help destination add 2>/dev/null |
        sed -n 's/^    -o \([a-z0-9][a-z0-9-]*\)=.*/\1=/p' | sort -u)
    echo "${keys:-api-url= task-id=}"
}

# Saved destination names, quoted for the command line. Not through
# compgen -W, which would expand "$(…)" in a name.
_sendoff_cli_names()
{
    local name
    COMPREPLY=()
    while IFS= read -r name; do
        [[ -n $name && $name == "$2"* ]] && COMPREPLY+=("$(printf '%q' "$name")")
    done < <("$1" destination list --names 2>/dev/null)
}

# Ids of unfinished transfers (resume, discard), from the journal
_sendoff_cli_unfinished()
{
    "$1" history --json 2>/dev/null |
        awk -F'"' '$2 == "id" { id = $4 } $2 == "resumable" && /true/ { print id }'
}

_sendoff_cli()
{
    local cur prev words cword
    _init_completion || return

    local program=${words[0]}
    local commands="send resume discard history login logout status destination help"
    local subcommands="list add remove default check"
    local common="--to --service --option --api-url --help"
    local send_opts="--name --message --to --service --option --api-url --jobs --retries
        --exclude --dry-run --secret-fd --json --quiet --verbose --help"
    local resume_opts="--restart --option --api-url --jobs --retries --secret-fd --json --quiet
        --verbose --help"

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    local command=${words[1]}
    case $prev in
        -s | --service)
            COMPREPLY=($(compgen -W "$(_sendoff_cli_backends "$program")" -- "$cur"))
            return
            ;;
        -t | --to)
            _sendoff_cli_names "$program" "$cur"
            return
            ;;
        -o | --option)
            compopt -o nospace 2>/dev/null
            COMPREPLY=($(compgen -W "$(_sendoff_cli_option_keys "$program")" -- "$cur"))
            return
            ;;
        -u | --api-url | -n | --name | -m | --message | -j | --jobs | \
            --retries | -x | --exclude | --secret-fd)
            return
            ;;
    esac

    case $command in
        help)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "$commands" -- "$cur"))
            elif [[ $cword -eq 3 && ${words[2]} == destination ]]; then
                COMPREPLY=($(compgen -W "$subcommands" -- "$cur"))
            fi
            ;;
        send)
            if [[ $cur == -* ]]; then
                COMPREPLY=($(compgen -W "$send_opts" -- "$cur"))
            else
                _filedir
            fi
            ;;
        login | logout | status)
            COMPREPLY=($(compgen -W "$common" -- "$cur"))
            ;;
        resume | discard)
            if [[ $cur == -* ]]; then
                [[ $command == resume ]] &&
                    COMPREPLY=($(compgen -W "$resume_opts" -- "$cur")) ||
                    COMPREPLY=($(compgen -W "--option --api-url --secret-fd --help" -- "$cur"))
            else
                COMPREPLY=($(compgen -W "$(_sendoff_cli_unfinished "$program")" -- "$cur"))
            fi
            ;;
        history)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "remove --json --help" -- "$cur"))
            fi
            ;;
        destination)
            if [[ $cword -eq 2 ]]; then
                COMPREPLY=($(compgen -W "$subcommands --help" -- "$cur"))
                return
            fi
            case ${words[2]} in
                list)
                    COMPREPLY=($(compgen -W "--json --names" -- "$cur"))
                    ;;
                add)
                    [[ $cur == -* ]] &&
                        COMPREPLY=($(compgen -W "--service --option --default --help" -- "$cur"))
                    ;;
                remove | default | check)
                    [[ $cword -eq 3 ]] && _sendoff_cli_names "$program" "$cur"
                    ;;
            esac
            ;;
    esac
} &&
    complete -F _sendoff_cli sendoff-cli
