# SPDX-License-Identifier: Apache-2.0
"""One in-kernel test scenario on one board: build, boot with a timeout, judge.

Logs: <build folder>/build.log (configure + build) and run.log (QEMU); a
second boot of the same build under KVM (pagoda test --kvm) logs to
run-kvm.log.
"""

import threading

from . import build, kfilter, qemu, verdicts
from .outcome import Outcome

EXTRA_CONFIGS_FILE = "extra_configs.conf"


class ScenarioJob:
    def __init__(self, scenario):
        self.scenario = scenario
        # For a KvmScenarioJob booting this job's build once it is there.
        self.build_done = threading.Event()
        self.config = None
        self.filtered = False

    def outcome(self):
        s = self.scenario
        return Outcome(s.board, s.suite, s.name)

    def run(self, ctx):
        s = self.scenario
        result = self.outcome()
        if s.unmet:
            # Twister's "filtered": the board lacks a feature the scenario depends on.
            result.notes.append(f"filtered out: depends_on {' '.join(s.unmet)}, "
                                f"which {s.board} does not support")
            result.scenario += " [filtered]"
            self.filtered = True
            self.build_done.set()
            return result
        build_dir = s.build_dir(ctx.outdir)
        build_dir.mkdir(parents=True, exist_ok=True)
        overlays = []
        if s.extra_configs:
            overlay = build_dir / EXTRA_CONFIGS_FILE
            overlay.write_text("# extra_configs of scenario " + s.name + "\n" +
                               "".join(line + "\n" for line in s.extra_configs))
            overlays.append(overlay)
        build_log = build_dir / "build.log"
        result.log = build_log
        keep = None
        if s.filter:
            def keep(dot_config):
                return kfilter.evaluate(s.filter, kfilter.read_config(dot_config))
        try:
            config = build.build_app(build_dir, s.board, s.suite_dir, overlays,
                                     log=build_log, jobs=ctx.build_jobs, keep=keep,
                                     cmake_args=s.extra_args)
        except build.BuildError as e:
            return result.build_failed(e)
        finally:
            self.build_done.set()
        if config is None:
            # Twister's "filtered": the scenario does not apply to this build.
            result.notes.append(f"filtered out: {s.filter}")
            result.scenario += " [filtered]"
            self.filtered = True
            return result
        self.config = config
        if s.build_only:
            result.passed = 1       # a build-only scenario is one case: the build
            return result

        run_log = build_dir / "run.log"
        result.log = run_log
        with open(run_log, "w") as log:
            run = qemu.run_captured(config.argv, s.timeout, log,
                                    on_line=ctx.streamer(f"{s.board} {s.name}"))
        end = verdicts.timeout_end(s.timeout) if run.timed_out else (run.exit.kind, run.exit.reason)
        result.add_run(run.lines, end, [build_log, run_log])
        return result


class KvmScenarioJob:
    """The boot of a ScenarioJob's build again under KVM (real MMU and TLB).

    It waits for that job's build rather than building again; the runner
    starts jobs in order, so the build is under way or done by then.
    """

    def __init__(self, tcg_job):
        self.tcg_job = tcg_job

    def outcome(self):
        s = self.tcg_job.scenario
        return Outcome(s.board, s.suite, s.name + " [kvm]")

    def run(self, ctx):
        s = self.tcg_job.scenario
        result = self.outcome()
        self.tcg_job.build_done.wait()
        config = self.tcg_job.config
        if self.tcg_job.filtered:
            result.scenario += " [filtered]"
            return result
        if config is None:
            result.failed += 1
            result.failures.append("not booted: the build failed (see the TCG scenario)")
            result.error("boot", result.failures[-1])
            return result
        run_log = s.build_dir(ctx.outdir) / "run-kvm.log"
        result.log = run_log
        with open(run_log, "w") as log:
            run = qemu.run_captured(qemu.kvm_argv(config.argv), s.timeout, log,
                                    on_line=ctx.streamer(f"{s.board} {s.name} kvm"))
        end = verdicts.timeout_end(s.timeout) if run.timed_out else (run.exit.kind, run.exit.reason)
        result.add_run(run.lines, end, [run_log])
        return result
