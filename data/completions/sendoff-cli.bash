# sendoff-cli.bash — bash completion of sendoff-cli
# Copyright 2026 The Sendoff authors
# SPDX-License-Identifier: GPL-3.0-or-later

_sendoff_cli()
{
    local cur prev words cword
    _init_completion || return

    local commands="send login logout status help"
    local common="--service --api-url --help"
    local send_opts="--name --message --service --to --api-url --task-id --jobs --retries
        --exclude --dry-run --secret-fd --json --quiet --verbose --help"
    local services="wetransfer-v1 wunderlist"

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
        return
    fi

    local command=${words[1]}
    case $prev in
        -s | --service)
            COMPREPLY=($(compgen -W "$services" -- "$cur"))
            return
            ;;
        --to)
            COMPREPLY=($(compgen -W "$(sendoff-cli destination list --names 2>/dev/null)" \
                -- "$cur"))
            return
            ;;
        -u | --api-url | -n | --name | -m | --message | --task-id | -j | --jobs | \
            --retries | -x | --exclude | --secret-fd)
            return
            ;;
    esac

    case $command in
        help)
            [[ $cword -eq 2 ]] && COMPREPLY=($(compgen -W "$commands" -- "$cur"))
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
    esac
} &&
    complete -F _sendoff_cli sendoff-cli
