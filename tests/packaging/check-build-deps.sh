#!/usr/bin/env bash
# Fails when something the build or the tests use comes from a Debian package that
# packaging/debian/build-deps.txt does not bring in, so a fresh machine (install-deps.sh installs with
# --no-install-recommends) would miss it. Checked: every path under /usr that configure found (PATH and
# FILEPATH entries in CMakeCache.txt, e.g. Qt6OpenGL_DIR), the programs the tests and scripts run, and the
# Python modules the tests' scripts import. A package counts when it is listed, in the Depends/Pre-Depends
# closure of what is listed, or part of every Debian system (Essential, or Priority required).
#
#   check-build-deps.sh BUILD_DIR/CMakeCache.txt packaging/debian/build-deps.txt
set -euo pipefail

cache=${1:?usage: check-build-deps.sh CMakeCache.txt build-deps.txt}
list=${2:?usage: check-build-deps.sh CMakeCache.txt build-deps.txt}

# Programs the tests and scripts run by name (beyond what CMake found itself), and the Python modules the
# tests' and benchmarks' Python imports beyond the standard library's.
programs=(sqlite3 xvfb-run xauth Xvfb clang-format python3 git runuser dpkg-query apt-get)
postgres_programs=(initdb pg_ctl)
python_modules=(networkx json socket)
# Cache entries CMake's find modules fill whether or not anything asks for them: FindOpenGL always looks for
# GLU, which nothing here links.
optional_keys=(OPENGL_glu_LIBRARY OPENGL_GLU_INCLUDE_DIR)

say() { printf 'check-build-deps: %s\n' "$*" >&2; }

[[ -r "$cache" ]] || { say "cannot read $cache (configure first)"; exit 1; }
[[ -r "$list" ]] || { say "cannot read $list"; exit 1; }

mapfile -t listed < <(sed -e 's/#.*//' "$list" | tr -s '[:blank:]' '\n' | sed '/^$/d')

# --- What every installed package depends on, and which installed package provides what ---------------------
declare -A depends=() provider=() base=() installed=()
while IFS=$'\t' read -r name status essential priority deps predeps provides; do
    [[ "$status" == installed ]] || continue
    installed[$name]=1
    provider[$name]+=" $name"
    depends[$name]="$deps, $predeps"
    [[ "$essential" == yes || "$priority" == required ]] && base[$name]=1
    IFS=',' read -r -a provided <<<"$provides"
    for p in "${provided[@]}"; do
        p=${p%%(*}
        p=${p// /}
        [[ -n "$p" ]] && provider[$p]+=" $name"
    done
done < <(dpkg-query -W -f='${Package}\t${db:Status-Status}\t${Essential}\t${Priority}\t${Depends}\t${Pre-Depends}\t${Provides}\n')

# The closure of the listed packages over Depends and Pre-Depends (every installed alternative counts: the one
# apt would pick on a fresh machine is among them).
declare -A closure=()
queue=()
for p in "${listed[@]}"; do
    if [[ -z "${installed[$p]:-}" ]]; then
        # install-deps.sh counts npm as present when npx is there (a NodeSource nodejs ships npx itself).
        [[ "$p" == npm ]] && command -v npx >/dev/null 2>&1 && continue
        say "$list lists $p, which is not installed; run scripts/install-deps.sh first"
        exit 1
    fi
    queue+=("$p")
done
while ((${#queue[@]} > 0)); do
    p=${queue[-1]}
    unset 'queue[-1]'
    [[ -n "${closure[$p]:-}" ]] && continue
    closure[$p]=1
    IFS=',|' read -r -a alternatives <<<"${depends[$p]:-}"
    for d in "${alternatives[@]}"; do
        d=${d%%(*}
        d=${d%%:*}
        d=${d// /}
        [[ -n "$d" ]] || continue
        for q in ${provider[$d]:-}; do
            [[ -n "${closure[$q]:-}" ]] || queue+=("$q")
        done
    done
done

covered() { [[ -n "${closure[$1]:-}" || -n "${base[$1]:-}" ]]; }

# --- What needs a package -------------------------------------------------------------------------------------
# Lines of "path<TAB>why": the file to look up and where it came from, for the message.
needs=()
while IFS= read -r line; do
    key=${line%%:*}
    value=${line#*=}
    [[ "$key" == CMAKE_INSTALL_* || " ${optional_keys[*]} " == *" $key "* ]] && continue
    [[ "$value" == /usr/* && -e "$value" ]] || continue
    path=$value
    if [[ -d "$path" ]]; then
        # A package directory: look up its config file (a directory can belong to several packages).
        config=$(find "$path" -maxdepth 1 -type f \( -name '*Config.cmake' -o -name '*-config.cmake' \) | sort | head -n 1)
        [[ -n "$config" ]] && path=$config
    fi
    needs+=("$path"$'\t'"$key in $cache")
done < <(grep -E '^[A-Za-z0-9_.+-]+:(PATH|FILEPATH)=/usr/' "$cache")

for program in "${programs[@]}"; do
    # What a fresh Debian machine runs: the system's copy, not one a user put earlier on PATH (pyenv, say).
    found=""
    for dir in /usr/bin /usr/sbin /bin /sbin; do
        [[ -x "$dir/$program" ]] && { found=$dir/$program; break; }
    done
    if [[ -z "$found" ]]; then
        say "the tests run $program, which no Debian package installed here provides; add its package to $list"
        exit 1
    fi
    needs+=("$found"$'\t'"the program $program (tests and scripts run it)")
done

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV | head -n 1 || true)
for program in "${postgres_programs[@]}"; do
    if [[ -z "$pg_bin" || ! -x "$pg_bin/$program" ]]; then
        say "tests/server/with-postgresql.sh runs $program, which is not installed; add postgresql to $list"
        exit 1
    fi
    needs+=("$pg_bin/$program"$'\t'"the program $program (tests/server/with-postgresql.sh runs it)")
done

for module in "${python_modules[@]}"; do
    file=$(/usr/bin/python3 -c "import $module, sys; sys.stdout.write(getattr($module, '__file__', '') or '')" \
        2>/dev/null) || {
        say "/usr/bin/python3 cannot import $module (the tests' Python needs it); add its package to $list"
        exit 1
    }
    [[ -n "$file" ]] && needs+=("$file"$'\t'"the Python module $module (the tests' Python imports it)")
done

# --- Owners, in one dpkg call -----------------------------------------------------------------------------------
declare -A owners=()
lookup=()
for entry in "${needs[@]}"; do
    path=${entry%%$'\t'*}
    real=$(readlink -f "$path")
    lookup+=("$path" "$real")
    # Merged /usr: dpkg may have recorded the file under /lib or /bin.
    [[ "$real" == /usr/* ]] && lookup+=("${real#/usr}")
done
while IFS= read -r line; do
    packages=${line%%: /*}
    file=/${line#*: /}
    [[ "$packages" == "$line" ]] && continue
    [[ "$packages" == diversion* ]] && continue
    owners[$file]+=" ${packages//,/ }"
done < <(dpkg-query -S "${lookup[@]}" 2>/dev/null || true)

failures=0
for entry in "${needs[@]}"; do
    path=${entry%%$'\t'*}
    why=${entry#*$'\t'}
    real=$(readlink -f "$path")
    found="${owners[$path]:-} ${owners[$real]:-} ${owners[${real#/usr}]:-}"
    candidates=()
    ok=0
    for owner in $found; do
        owner=${owner%%:*}
        candidates+=("$owner")
        covered "$owner" && ok=1
    done
    ((ok)) && continue
    if [[ "$path" == */npx && " ${listed[*]} " == *" npm "* ]]; then
        continue # install-deps.sh installs Debian's npm (which ships npx) wherever npx is missing
    fi
    failures=$((failures + 1))
    if ((${#candidates[@]} == 0)); then
        say "$path ($why) belongs to no Debian package; a fresh machine will not have it"
    else
        say "$path ($why) comes from ${candidates[0]}, which $list does not bring in (recommends do not count);"
        say "    add this line to $list: ${candidates[0]}"
    fi
done

if ((failures > 0)); then
    say "$failures file(s) come from packages a fresh Debian 12 machine would not get"
    exit 1
fi
echo "check-build-deps: ${#needs[@]} files, programs and modules all come from ${#listed[@]} listed packages or their dependencies (${#closure[@]} packages)"
