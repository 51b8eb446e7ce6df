# SPDX-License-Identifier: Apache-2.0
"""scripts/gen_mmu.py (and check_relink.py) on damaged input: truncated, random, non-ELF, missing.

Run from the repository root:
    /usr/bin/python3 -m unittest discover -s tests/scripts -p 'test_gen_mmu*.py'

Each way of reading a bad file must end in one line on stderr,
`gen_mmu.py: error: <file>: <what is wrong>`, and exit status 1, never a
pyelftools traceback. The good ELFs are the synthetic two-pass images of
test_gen_mmu.py, damaged here by cutting or overwriting bytes.
"""

from __future__ import annotations

import contextlib
import io
import random
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from typing import Dict

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_gen_mmu as base  # noqa: E402  (its Image builds the ELFs)

gm = base.gm
OBJCOPY = shutil.which("objcopy")


@unittest.skipUnless(base.HAVE_I686 and base.HAVE_GCC, "needs i686-linux-gnu-gcc and gcc")
class DamagedElfTest(unittest.TestCase):
    root: Path
    images: Dict[str, "base.Image"]
    _tmp: tempfile.TemporaryDirectory

    @classmethod
    def setUpClass(cls) -> None:
        cls._tmp = tempfile.TemporaryDirectory(prefix="test_gen_mmu_damaged_")
        cls.root = Path(cls._tmp.name)
        cls.images = {
            "ELF32": base.Image(cls.root, "x86", 1, 0x100000, 4 * base.MIB).build(),
            "ELF64": base.Image(cls.root, "x86_64", 3, 0x40000000, 8 * base.MIB).build(),
        }

    @classmethod
    def tearDownClass(cls) -> None:
        cls._tmp.cleanup()

    def damaged(self, img: "base.Image", name: str, data: bytes) -> Path:
        # Next to the good ELF, so --check finds the build's .config there.
        path = img.dir / name
        path.write_bytes(data)
        return path

    def assertOneLineError(self, r: subprocess.CompletedProcess, path: Path, *fragments: str,
                           prog: str = "gen_mmu.py") -> str:
        """The single stderr line after `gen_mmu.py: error: <path>: `."""
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertEqual(r.stdout, "")
        prefix = f"{prog}: error: {path}: "
        self.assertTrue(r.stderr.startswith(prefix), r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
        self.assertTrue(r.stderr.endswith("\n"), r.stderr)
        what = r.stderr[len(prefix):-1]
        self.assertTrue(what.strip(), r.stderr)
        for fragment in fragments:
            self.assertIn(fragment, what)
        return what

    def generate(self, img: "base.Image", path: Path) -> subprocess.CompletedProcess:
        out = img.dir / "damaged.bin"
        if out.exists():
            out.unlink()
        r = base.run_script("gen_mmu.py", "--config", str(img.config), "--elf", str(path),
                            "--output", str(out))
        if r.returncode:
            self.assertFalse(out.exists(), "a blob was written for a bad ELF")
        return r

    def check(self, img: "base.Image", path: Path) -> subprocess.CompletedProcess:
        return base.run_script("gen_mmu.py", "--check", str(path))

    def test_good_elf_still_works(self) -> None:
        for cls_name, img in self.images.items():
            with self.subTest(elf=cls_name):
                r = self.generate(img, img.pre)
                self.assertEqual((r.returncode, r.stderr), (0, ""))
                self.assertEqual((img.dir / "damaged.bin").read_bytes(), img.blob.read_bytes())
                r = self.check(img, img.final)
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("page tables OK", r.stdout)
                r = base.run_script("gen_mmu.py", "--dump", str(img.final), "--color", "never")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertTrue(base.parse_dump(r.stdout))

    def test_truncated_prebuilt_elf(self) -> None:
        for cls_name, img in self.images.items():
            data = img.pre.read_bytes()
            header = 52 if cls_name == "ELF32" else 64
            cases = {
                0: ("empty file (0 bytes)",),
                16: (f"truncated: 16 bytes, an {cls_name} header needs {header}",),
                64: ("truncated or damaged: 64 bytes", "program headers"),
                4096: ("truncated or damaged: 4096 bytes",),
                len(data) // 2: (f"truncated or damaged: {len(data) // 2} bytes",),
                len(data) - 16: ("section headers",),
                len(data) - 1: ("section headers",),
            }
            for size, fragments in cases.items():
                with self.subTest(elf=cls_name, size=size):
                    path = self.damaged(img, f"cut{size}.elf", data[:size])
                    self.assertOneLineError(self.generate(img, path), path, *fragments)

    def test_check_on_truncated_final_elf(self) -> None:
        for cls_name, img in self.images.items():
            data = img.final.read_bytes()
            for size in (0, 16, 4096, len(data) // 2, len(data) - 1):
                with self.subTest(elf=cls_name, size=size):
                    path = self.damaged(img, f"final_cut{size}.elf", data[:size])
                    self.assertOneLineError(self.check(img, path), path)
                    r = base.run_script("gen_mmu.py", "--dump", str(path))
                    self.assertOneLineError(r, path)

    def test_check_relink_on_truncated_final_elf(self) -> None:
        # The build runs check_relink.py on the final ELF just before gen_mmu.py --check.
        for cls_name, img in self.images.items():
            data = img.final.read_bytes()
            for size in (0, 16, 64, 4096, len(data) // 2, len(data) - 1):
                with self.subTest(elf=cls_name, size=size):
                    path = self.damaged(img, f"relink_cut{size}.elf", data[:size])
                    r = base.run_script("check_relink.py", str(img.pre), str(path))
                    self.assertOneLineError(r, path, prog="check_relink.py")
            missing = img.dir / "no-such.elf"
            r = base.run_script("check_relink.py", str(missing), str(img.final))
            self.assertOneLineError(r, missing, "cannot read", prog="check_relink.py")
            r = base.run_script("check_relink.py", str(img.pre), str(img.final))
            self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_random_bytes_after_magic(self) -> None:
        rng = random.Random(6)  # seeded: the same bytes on every run
        for cls_name, img in self.images.items():
            size = img.pre.stat().st_size
            for attempt in range(3):
                with self.subTest(elf=cls_name, attempt=attempt):
                    data = b"\x7fELF" + bytes(rng.randrange(256) for _ in range(size - 4))
                    path = self.damaged(img, f"random{attempt}.elf", data)
                    self.assertOneLineError(self.generate(img, path), path)
                    self.assertOneLineError(self.check(img, path), path)

    def test_random_bytes_after_a_good_header(self) -> None:
        # The identification and header stay intact: the tables they point to are noise.
        rng = random.Random(16)
        img = self.images["ELF64"]
        data = img.pre.read_bytes()
        noise = data[:64] + bytes(rng.randrange(256) for _ in range(len(data) - 64))
        path = self.damaged(img, "noise.elf", noise)
        self.assertOneLineError(self.generate(img, path), path, "damaged")

    def test_not_an_elf_file(self) -> None:
        img = self.images["ELF64"]
        path = img.dir / "notes.txt"
        path.write_text("These are not the page tables you are looking for.\n")
        self.assertOneLineError(self.generate(img, path), path, "not an ELF file", "b'Thes'")
        self.assertOneLineError(self.check(img, path), path, "not an ELF file")
        short = self.damaged(img, "short.elf", b"\x7fE")
        self.assertOneLineError(self.generate(img, short), short, "truncated: 2 bytes")

    def test_missing_and_unreadable_file(self) -> None:
        img = self.images["ELF32"]
        missing = img.dir / "no-such.elf"
        self.assertOneLineError(self.generate(img, missing), missing, "cannot read",
                                "No such file or directory")
        self.assertOneLineError(base.run_script("gen_mmu.py", "--dump", str(missing)), missing,
                                "cannot read")
        self.assertOneLineError(self.generate(img, img.dir), img.dir, "cannot read",
                                "Is a directory")

    def test_class_and_byte_order(self) -> None:
        img = self.images["ELF32"]
        data = bytearray(img.pre.read_bytes())
        data[4] = 7
        path = self.damaged(img, "class7.elf", bytes(data))
        self.assertOneLineError(self.generate(img, path), path, "EI_CLASS (byte 4) is 0x07")
        data[4], data[5] = 1, 2
        path = self.damaged(img, "bigendian.elf", bytes(data))
        self.assertOneLineError(self.generate(img, path), path, "EI_DATA (byte 5) is 0x02")
        # An ELF64 given a 32-bit configuration: the message says both classes.
        other = self.images["ELF64"].pre
        r = base.run_script("gen_mmu.py", "--config", str(img.config), "--elf", str(other),
                            "--output", str(img.dir / "other.bin"))
        self.assertOneLineError(r, other, "ELFCLASS64", "ELFCLASS32")

    @unittest.skipUnless(OBJCOPY, "needs objcopy")
    def test_stripped_and_missing_symbol(self) -> None:
        img = self.images["ELF64"]
        stripped = img.dir / "stripped.elf"
        subprocess.run([OBJCOPY, "--strip-all", str(img.pre), str(stripped)], check=True)
        self.assertOneLineError(self.generate(img, stripped), stripped, "no symbol table (.symtab)")
        lacking = img.dir / "lacking.elf"
        subprocess.run([OBJCOPY, "--strip-symbol=z_x86_pagetables_end", str(img.pre), str(lacking)],
                       check=True)
        self.assertOneLineError(self.generate(img, lacking), lacking,
                                "symbol z_x86_pagetables_end is missing")

    def test_unwritable_output(self) -> None:
        img = self.images["ELF32"]
        out = img.dir / "no-such-dir" / "pagetables.bin"
        r = base.run_script("gen_mmu.py", "--config", str(img.config), "--elf", str(img.pre),
                            "--output", str(out))
        self.assertOneLineError(r, out, "cannot write")

    def test_damaged_bytes_never_raise(self) -> None:
        # Bytes overwritten anywhere, in-process for speed: the run ends in a result or a
        # GenMmuError message, never in another exception.
        rng = random.Random(1)
        for cls_name, img in self.images.items():
            good = img.final.read_bytes()
            for attempt in range(60):
                data = bytearray(good)
                # Mostly the ELF header and the section headers at the end, where a byte
                # changes the structure; else anywhere.
                for _ in range(rng.randrange(1, 12)):
                    pos = rng.choice((rng.randrange(0, 128),
                                      rng.randrange(len(data) - 700, len(data)),
                                      rng.randrange(len(data))))
                    data[pos] = rng.randrange(256)
                path = self.damaged(img, "flipped.elf", bytes(data))
                for mode in ("--check", "--dump"):
                    with self.subTest(elf=cls_name, attempt=attempt, mode=mode):
                        err, out = io.StringIO(), io.StringIO()
                        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
                            status = gm.main([mode, str(path), "--color", "never"])
                        self.assertIn(status, (0, 1))
                        if status and err.getvalue().startswith("gen_mmu.py: error:"):
                            self.assertEqual(err.getvalue().count("\n"), 1, err.getvalue())


if __name__ == "__main__":
    unittest.main()
