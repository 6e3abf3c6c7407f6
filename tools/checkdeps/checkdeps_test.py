#!/usr/bin/env python3
"""Tests of checkdeps.py: it passes a tree whose includes point down and
fails, naming the file and line, on each kind of wrong include."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKDEPS = os.path.join(HERE, "checkdeps.py")
LAYERS = os.path.join(HERE, "layers.txt")


class CheckDepsTest(unittest.TestCase):
    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="checkdeps-")
        # A small tree shaped like the real one, every include pointing down.
        self.write("common/status_macros.h", '#include "absl/status/status.h"')
        self.write("server/store/store.h", '#include "common/status_macros.h"')
        self.write("server/store/sqlite/sqlite_db.h", "#include <sqlite3.h>")
        self.write("server/service/records_service.h",
                   '#include "server/store/store.h"\n'
                   '#include "plugins/api/plugin.h"')
        self.write("plugins/api/plugin.h",
                   '#include "clinic/microneedling/v1/records.pb.h"')
        self.write("client/cli/instruction_commands.cc",
                   '#include "plugins/microneedling_protocol/'
                   'default_instructions.h"')
        self.write("tests/anything_test.cc",
                   '#include "server/store/sqlite/sqlite_db.h"\n'
                   "#include <sqlite3.h>")

    def tearDown(self):
        shutil.rmtree(self.root)

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")

    def run_check(self):
        return subprocess.run(
            [sys.executable, CHECKDEPS, "--root", self.root, "--layers",
             LAYERS], capture_output=True, text=True, check=False)

    def assert_refused(self, expected):
        result = self.run_check()
        self.assertEqual(result.returncode, 1, result.stdout)
        self.assertIn(expected, result.stdout)

    def test_a_tree_whose_includes_point_down_passes(self):
        result = self.run_check()
        self.assertEqual(result.returncode, 0, result.stdout)

    def test_an_include_of_a_higher_layer_fails_with_file_and_line(self):
        self.write("server/store/store.h",
                   '#include "common/status_macros.h"\n'
                   '#include "server/service/records_service.h"')
        self.assert_refused("server/store/store.h:2: server/store may not "
                            "include server/service/records_service.h")

    def test_a_plugin_including_the_server_fails(self):
        self.write("plugins/microneedling_protocol/protocol_rules.cc",
                   '#include "server/consent/consent_status.h"')
        self.write("server/consent/consent_status.h", "")
        self.assert_refused("plugins/microneedling_protocol/protocol_rules.cc"
                            ":1: plugins/microneedling_protocol may not "
                            "include server/consent/consent_status.h")

    def test_a_backend_beside_the_contract_is_not_reachable_from_it(self):
        self.write("server/store/write_guard.cc",
                   '#include "server/store/sqlite/sqlite_db.h"')
        self.assert_refused("server/store/write_guard.cc:1: server/store may "
                            "not include server/store/sqlite/sqlite_db.h")

    def test_production_code_may_not_include_tests(self):
        self.write("server/service/records_service.cc",
                   '#include "tests/support/fixtures.h"')
        self.assert_refused("server/service may not include "
                            "tests/support/fixtures.h")

    def test_restricted_headers_stay_in_their_layers(self):
        self.write("server/service/admin_service.cc", "#include <sqlite3.h>")
        self.assert_refused("server/service/admin_service.cc:1: "
                            "server/service may not include sqlite3.h")
        self.write("server/service/admin_service.cc",
                   '#include "grpcpp/server_context.h"')
        self.assert_refused("server/service may not include "
                            "grpcpp/server_context.h")

    def test_a_folder_missing_from_the_table_fails(self):
        self.write("server/newlayer/thing.h", "")
        self.assert_refused("server/newlayer/thing.h: its folder is not in "
                            "layers.txt")


if __name__ == "__main__":
    unittest.main()
