"""Drive RSTUF 1.0.0b1 admin commands fully offline (no API server), the way RSTUF's own
tests/conftest.py does: click CliRunner + monkeypatching the interactive helpers.
Needs: repository-service-tuf==1.0.0b1 in a throwaway venv, and RSTUF's test keys
(tests/files/key_storage from repository-service-tuf-cli, password 'hunter2').
Usage: /tmp/venv-rstuf/bin/python rstuf_offline_demo.py /tmp/rsrc/tests/files/key_storage OUTDIR"""
import json, os, sys, tempfile
from click.testing import CliRunner
from dynaconf import Dynaconf
import repository_service_tuf.cli.admin.helpers as H
from repository_service_tuf.cli.admin import ceremony as C
from repository_service_tuf.cli.admin.metadata import sign as S, update as U

PEMS, OUT = sys.argv[1], os.path.abspath(sys.argv[2])
os.makedirs(OUT, exist_ok=True)

def ctx():
    s = Dynaconf(settings_files=[os.path.join(tempfile.mkdtemp(), "none.yml")]); s.HEADERS = None
    return {"settings": s, "config": "none"}

def seq(items):
    it = iter(items); return lambda *a, **k: next(it)

class FakeClick:  # password prompt for encrypted PEMs (click.prompt hide_input) -> 'hunter2'
    prompt = staticmethod(lambda *a, **k: "hunter2"); style = staticmethod(lambda *a, **k: "")

def run(cmd, args, inputs, selects, pubs, privs):
    H._select = seq(selects)
    H._prompt_public_key = seq(pubs)
    H._prompt_private_key = seq(privs)
    H.click = FakeClick
    r = CliRunner().invoke(cmd, args=args, input="\n".join(inputs), obj=ctx(), catch_exceptions=False)
    print(r.output[-400:])
    return r

P = lambda n: os.path.join(PEMS, n)
# 1) bootstrap ceremony, offline: --dry-run --out FILE
r = run(C.ceremony, ["--dry-run", "--out", f"{OUT}/ceremony-payload.json"],
        ["", "", "", "", "4", "",        # timestamp/snapshot/targets/bins expiry, bins number, root expiry
         "2", "JimiHendrix's Key", "JanisJoplin's Key",   # root threshold, key names
         "Online Key"],                  # online key name
        ["Bins (online key only)",
         "Key PEM File", "add", "Key PEM File", "continue",   # add 2 root keys (first add is implicit)
         "Key PEM File",                                       # online key type
         "JimiHendrix's Key", "Key PEM File", "JanisJoplin's Key", "Key PEM File", "continue"],
        [P("JH.pub"), P("JJ.pub"), P("0d9d3d4bad91c455bc03921daa95774576b86625ac45570d0cac025b08e65043.pub")],
        [P("JH.ed25519"), P("JJ.ecdsa")])
print("exit", r.exit_code)

# 2) sign, offline: --in <GET /api/v1/metadata/sign response> --dry-run --out FILE
cer = json.load(open(f"{OUT}/ceremony-payload.json"))
root = cer["metadata"]["root"]
pending = {"data": {"metadata": {"root": dict(root, signatures=root["signatures"][:1])}},
           "message": "Metadata role(s) pending signing"}
json.dump(pending, open(f"{OUT}/sign-input.json", "w"), indent=2)
r = run(S.sign, ["--dry-run", "--in", f"{OUT}/sign-input.json", "--out", f"{OUT}/sign-payload.json"],
        [], ["root", "JanisJoplin's Key", "Key PEM File"], [], [P("JJ.ecdsa")])
print("exit", r.exit_code)

# 3) metadata update (root rotation), offline: --in <trusted root.json> --dry-run --out FILE
json.dump(root, open(f"{OUT}/1.root.json", "w"), indent=2)
r = run(U.update, ["--dry-run", "--in", f"{OUT}/1.root.json", "--out", f"{OUT}/update-payload.json"],
        ["n", "n", "JoeCocker's Key", "y", "New Online Key"],
        ["remove", "JimiHendrix's Key", "add", "Key PEM File", "continue", "Key PEM File",
         "JimiHendrix's Key", "Key PEM File", "JanisJoplin's Key", "Key PEM File",
         "JoeCocker's Key", "Key PEM File", "continue"],
        [P("JC.pub"), P("cb20fa1061dde8e6267e0bef0981766aaadae168e917030f7f26edc7a0bab9c2.pub")],
        [P("JH.ed25519"), P("JJ.ecdsa"), P("JC.rsa")])
print("exit", r.exit_code)
