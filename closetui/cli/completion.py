"""``closetui completion bash|zsh|fish``: a completion script built from the parser.

Commands and options come from each command's usage line, so the script follows the
parser. Field, status, owner and pipeline names come from files the app and the commands
write when they load an organisation (:mod:`closetui.completion_names`): the script reads
them with the shell alone, so a tab press never starts Python or touches the network.
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from closetui.cli.exit_codes import EXIT_OK

NAMED = {
    "--set": "fields",
    "--add": "fields",
    "--remove": "fields",
    "--clear": "fields",
    "--status": "statuses",
    "--owner": "owners",
    "--pipeline": "pipelines",
}
"""Options whose value is a name of the organisation, and which names."""
FIELD_VALUE = ("--set", "--add", "--remove")
"""Options taking ``FIELD=VALUE``: a field name completes with ``=`` after it."""
PATHS = ("--config",)
"""Options taking a file path."""
_USAGE_ITEM = re.compile(r"(--[a-z][a-z0-9-]*)(?: (\{[^}]*\}|[A-Z][A-Z0-9_]*))?|(\{[^}]*\})")


@dataclass
class Command:
    """What completes after one command's words: its options and its positional choices."""

    options: dict[str, list[str] | None] = field(default_factory=dict)
    """Each option: None when it takes no value, else its choices (empty: free text)."""
    choices: list[str] = field(default_factory=list)
    """Words a positional argument takes (``bash zsh fish``), or the command's actions."""


def commands_of(parsers: dict[str, argparse.ArgumentParser]) -> dict[str, Command]:
    """Each command (``""``, ``list``, ``profile add``) read from its usage line."""
    found: dict[str, Command] = {}
    for words, parser in parsers.items():
        command = Command(options={"--help": None})
        usage = parser.format_usage()
        for match in _USAGE_ITEM.finditer(usage):
            option, value, positional = match.groups()
            if option is not None:
                listed = value[1:-1].split(",") if value and value.startswith("{") else []
                # A choice that is itself "," cannot be told from the separator: free text.
                command.options[option] = [] if "" in listed else listed if value else None
            elif positional is not None:
                command.choices += positional[1:-1].split(",")
        found[words] = command
    for words in found:  # a command's actions and sub-commands complete after it
        head, _, last = words.rpartition(" ")
        if words and head in found:
            found[head].choices.append(last)
    return found


def run_completion(args: argparse.Namespace, parsers: dict[str, argparse.ArgumentParser]) -> int:
    """Print the script for ``args.shell``; keep the demo's names first (no network)."""
    from closetui.completion_names import KINDS, cache_dir

    if not all((cache_dir() / "demo" / kind).is_file() for kind in KINDS):
        _remember_demo()  # once: a shell that evals the script on start stays quick
    commands = commands_of(parsers)
    make = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell]
    print(make(commands, cache_dir()), end="")
    return EXIT_OK


def _remember_demo() -> None:
    """The demo's names, from the in-process sandbox: ``--demo`` completes at once."""
    import asyncio

    from closetui.completion_names import remember
    from closetui.connect import demo_connection
    from closetui.reference import load_reference

    async def load() -> None:
        async with demo_connection(opportunities=0).client() as client:
            remember("demo", (await load_reference(client)).schema)

    asyncio.run(load())


def _case_words(words: list[str]) -> str:
    return "|".join(shlex.quote(word) for word in words) or "''"


def bash_script(commands: dict[str, Command], cache: Path, *, equals: str = "=") -> str:
    """The bash script (zsh runs it through ``bashcompinit``)."""
    steps = [f'"{head}:{word}"' for head, cmd in commands.items() for word in cmd.choices
             if f"{head} {word}".strip() in commands]  # fmt: skip
    option_cases, value_cases, free = [], [], []
    for words, cmd in commands.items():
        names = " ".join(cmd.options)
        option_cases.append(f'        "{words}") words={shlex.quote(names)} ;;')
        for option, choices in cmd.options.items():
            if choices:
                value_cases.append(
                    f'        "{words}|{option}") _closetui_words {shlex.quote(" ".join(choices))}'
                    "; return ;;"
                )
            elif choices is not None and option not in NAMED and option not in PATHS:
                free.append(f'"{words}|{option}"')
    if free:  # a value to type: nothing to offer (not the options)
        value_cases.append(f"        {'|'.join(free)}) return ;;")
    positional = [
        f'        "{words}") words={shlex.quote(" ".join(cmd.choices))} ;;'
        for words, cmd in commands.items()
        if cmd.choices
    ]
    named = "\n".join(
        f'        *"|{option}") _closetui_names "$folder" {kind} '
        f"{shlex.quote(equals if option in FIELD_VALUE else '')}; return ;;"
        for option, kind in NAMED.items()
    )
    return f"""\
# closetui completion for bash: eval "$(closetui completion bash)" in ~/.bashrc
_closetui_cache={shlex.quote(str(cache))}

_closetui_words() {{  # the words of $1 that start with the current word
    local IFS=$' \\t\\n'
    COMPREPLY=($(compgen -W "$1" -- "$_closetui_cur"))
}}

_closetui_names() {{  # names of kind $2 kept for connection $1, each followed by $3
    local file="$_closetui_cache/$1/$2" name prefix="${{_closetui_cur#[\\"\\']}}"
    prefix="${{prefix//\\\\/}}"
    COMPREPLY=()
    [[ -n "$1" && -r "$file" ]] || return 0
    while IFS= read -r name; do
        [[ "$name" == "$prefix"* ]] && COMPREPLY+=("$(printf '%q' "$name")$3")
    done < "$file"
    if [[ -n "$3" ]] && type compopt >/dev/null 2>&1; then compopt -o nospace 2>/dev/null; fi
}}

_closetui() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local command="" folder="@default" word i words=""
    if [[ "$prev" == "=" && $COMP_CWORD -ge 2 ]]; then prev="${{COMP_WORDS[COMP_CWORD-2]}}"; fi
    if [[ "$cur" == "=" ]]; then cur=""; fi
    _closetui_cur="$cur"
    for ((i = 1; i < COMP_CWORD; i++)); do
        word="${{COMP_WORDS[i]}}"
        case "$word" in
            --demo) folder=demo ;;
            --profile) folder="${{COMP_WORDS[i+1]}}" ;;
            --base-url) folder="" ;;
        esac
        case "$command:$word" in
            {"|".join(steps) or '""'}) command="${{command:+$command }}$word" ;;
        esac
    done
    case "$command|$prev" in
        *"|--config") COMPREPLY=($(compgen -f -- "$cur")); return ;;
{named}
{chr(10).join(value_cases)}
    esac
    if [[ "$cur" != -* ]]; then
        case "$command" in
{chr(10).join(positional)}
        esac
    fi
    if [[ -z "$words" ]]; then
        case "$command" in
{chr(10).join(option_cases)}
        esac
    fi
    _closetui_words "$words"
}}

complete -F _closetui closetui
"""


def zsh_script(commands: dict[str, Command], cache: Path) -> str:
    """The zsh script: the bash one, through zsh's own ``bashcompinit``."""
    body = bash_script(commands, cache, equals="").split("\n", 1)[1]
    return f"""\
# closetui completion for zsh: eval "$(closetui completion zsh)" in ~/.zshrc, after compinit
autoload -Uz compinit bashcompinit
(( $+functions[compdef] )) || compinit
bashcompinit
{body}"""


def fish_script(commands: dict[str, Command], cache: Path) -> str:
    """The fish script: one ``complete`` line per option and command."""
    lines = [
        "# closetui completion for fish: closetui completion fish > "
        "~/.config/fish/completions/closetui.fish",
        f"set -g __closetui_cache {shlex.quote(str(cache))}",
        "",
        "function __closetui_state  # the command's words, then the connection's folder",
        "    set -l command ''",
        "    set -l folder @default",
        "    set -l words (commandline -opc)",
        "    for i in (seq 2 (count $words))",
        "        set -l word $words[$i]",
        "        switch $word",
        "            case --demo",
        "                set folder demo",
        "            case --profile",
        "                set -q words[(math $i + 1)]; and set folder $words[(math $i + 1)]",
        "            case --base-url",
        "                set folder ''",
        "        end",
        '        switch "$command:$word"',
        "            case "
        + " ".join(
            shlex.quote(f"{head}:{word}")
            for head, cmd in commands.items()
            for word in cmd.choices
            if f"{head} {word}".strip() in commands
        ),
        '                set command (string trim -- "$command $word")',
        "        end",
        "    end",
        "    echo $command",
        "    echo $folder",
        "end",
        "",
        "function __closetui_is  # the command's words are exactly $argv",
        '    test (__closetui_state)[1] = "$argv"',
        "end",
        "",
        "function __closetui_names  # names of kind $argv[1] for the connection",
        "    set -l folder (__closetui_state)[2]",
        '    test -n "$folder"; and cat $__closetui_cache/$folder/$argv[1] 2>/dev/null',
        "end",
        "",
        "complete -c closetui -f",
    ]
    for words, cmd in commands.items():
        when = f"-n {shlex.quote(f'__closetui_is {words}'.strip())}"
        if cmd.choices:
            lines.append(f"complete -c closetui {when} -a {shlex.quote(' '.join(cmd.choices))}")
        for option, choices in cmd.options.items():
            spec = f"complete -c closetui {when} -l {option[2:]}"
            if option in NAMED:
                spec += f" -r -a '(__closetui_names {NAMED[option]})'"
            elif option in PATHS:
                spec += " -r -F"
            elif choices:
                spec += f" -r -a {shlex.quote(' '.join(choices))}"
            elif choices is not None:
                spec += " -r"
            lines.append(spec)
    return "\n".join(lines) + "\n"
