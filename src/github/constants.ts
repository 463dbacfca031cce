/**
 * Names GitHub users see and the App relies on: changing one breaks required checks, buttons
 * or configuration of existing installations.
 */

/** The check run name; branch protection rules require it by this name. */
export const CHECK_NAME = 'PyGuard';

/** The configuration file, read by Probot from `.github/` on the default branch. */
export const CONFIG_FILE = 'pyguard.yml';

/** The identifier of the check run's "Rescan" button (`check_run.requested_action`). */
export const RESCAN_ACTION = 'rescan';

/** The "Rescan" button on a completed check run (label ≤ 20, description ≤ 40 characters). */
export const RESCAN_BUTTON = {
  label: 'Rescan',
  description: 'Scan this pull request again',
  identifier: RESCAN_ACTION,
} as const;

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;

/** Annotations per check run create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50;
