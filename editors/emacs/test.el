;;; test.el --- headless test of copydesk under Emacs eglot  -*- lexical-binding: t -*-
;;
;;   COPYDESK_BIN=/path/to/copydesk emacs --batch -Q -l editors/emacs/test.el
;;
;; Uses the setup from editors/README.md (eglot-server-programs + eglot-ensure), opens a
;; Vietnamese text with NFD text and emoji before the problems, checks each Flymake
;; diagnostic's line and column (Emacs columns count characters), applies the preferred
;; quick fix and the fix-all code action, and exits 0 only if every check passed.

;; Emacs 29+ has eglot built in; on Emacs 28, Debian's elpa-eglot lives in the system
;; package directory, which -Q does not activate.
(unless (require 'eglot nil t)
  (require 'package)
  (setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
  (package-initialize)
  (require 'eglot))
(require 'flymake)
(require 'subr-x)
(require 'ucs-normalize)

(defvar copydesk-test-dir (file-name-directory (or load-file-name buffer-file-name)))
(defvar copydesk-bin
  (or (getenv "COPYDESK_BIN")
      (expand-file-name "../../target/release/copydesk" copydesk-test-dir)))
(defvar copydesk-passed 0)
(defvar copydesk-failed 0)

(defun copydesk-log (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun copydesk-check (ok what)
  (if ok
      (setq copydesk-passed (1+ copydesk-passed))
    (setq copydesk-failed (1+ copydesk-failed))
    (copydesk-log "FAIL: %s" what))
  ok)

(defun copydesk-write (file text)
  (make-directory (file-name-directory file) t)
  (let ((coding-system-for-write 'utf-8-unix))
    (write-region text nil file nil 'silent)))

(defun copydesk-ours ()
  "Flymake diagnostics of the test rule, sorted, as (LINE COL END-LINE END-COL TEXT)."
  (let (out)
    (dolist (d (flymake-diagnostics (point-min) (point-max)))
      (when (string-match-p "km\\|KM" (flymake-diagnostic-text d))
        (let ((beg (flymake-diagnostic-beg d))
              (end (flymake-diagnostic-end d)))
          (push (list (line-number-at-pos beg)
                      (save-excursion (goto-char beg) (- beg (line-beginning-position)))
                      (line-number-at-pos end)
                      (save-excursion (goto-char end) (- end (line-beginning-position)))
                      (buffer-substring-no-properties beg end))
                out))))
    (sort out (lambda (a b) (or (< (car a) (car b))
                                (and (= (car a) (car b)) (< (cadr a) (cadr b))))))))

(defun copydesk-wait (pred &optional seconds)
  "Run the event loop until PRED is true or SECONDS (default 10) pass."
  (let ((deadline (+ (float-time) (or seconds 10)))
        (ok nil))
    (while (and (not (setq ok (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; Batch Emacs is never idle, so run what eglot's and flymake's idle timers would:
      ;; send pending changes, then ask flymake for a report.
      (when (bound-and-true-p eglot--managed-mode) (eglot--signal-textDocument/didChange))
      (when (and (bound-and-true-p eglot--managed-mode) (bound-and-true-p flymake-mode)) (flymake-start)))
    ok))

(defun copydesk-wait-count (n what)
  (copydesk-check (copydesk-wait (lambda () (= (length (copydesk-ours)) n)))
                  (format "%s: waited for %d diagnostics, have %S" what n (copydesk-ours))))

(defun copydesk-check-positions (want what)
  (let ((got (copydesk-ours)))
    (dotimes (i (length want))
      (let ((g (nth i got)) (w (nth i want)))
        (when (copydesk-check g (format "%s: diagnostic %d missing" what i))
          (copydesk-check (equal (butlast g) w)
                          (format "%s: diagnostic %d at %S, want %S" what i (butlast g) w))
          (copydesk-check (string-match-p "\\`[0-9] ?KM\\'" (nth 4 g))
                          (format "%s: range covers %S" what (nth 4 g)))
          (copydesk-log "positions: %s: line %d col %d - line %d col %d (characters) covers %S"
                        what (nth 0 g) (nth 1 g) (nth 2 g) (nth 3 g) (nth 4 g)))))))

(defun copydesk-test ()
  (unless (file-executable-p copydesk-bin)
    (error "No copydesk server at %s (cargo build --release, or set COPYDESK_BIN)" copydesk-bin))
  (let* ((root (file-name-as-directory (make-temp-file "copydesk-emacs-" t)))
         (file (expand-file-name "bai-viet.txt" root))
         (line3 (ucs-normalize-NFD-string "Đoàn xe 🚚 của người dân đi 12KM, rồi 🌙 thêm 3 KM nữa."))
         (want3 (ucs-normalize-NFD-string "Đoàn xe 🚚 của người dân đi 12 km, rồi 🌙 thêm 3 KM nữa.")))
    (copydesk-write (expand-file-name ".copydesk.toml" root) "packs = [\"./pack\"]\n")
    (copydesk-write (expand-file-name "pack/units.toml" root)
                    (concat "[pack]\nname = \"editor-test\"\n\n[[rule]]\nid = \"units.km\"\n"
                            "kind = \"pattern\"\nmessage = \"Viết “km” thường: “{found}” → “{expected}”\"\n"
                            "pattern = '(\\d) ?KM\\b'\nreplacement = \"$1 km\"\n"))
    (copydesk-write file (concat "Tin giao thông\n\n" line3 "\n\n" "Cách bờ 5KM.\n"))

    ;; The setup from editors/README.md.
    (add-to-list 'eglot-server-programs
                 `((text-mode markdown-mode) . (,copydesk-bin "lsp" :initializationOptions (:debounceMs 20))))
    (setq eglot-send-changes-idle-time 0.05)
    (add-hook 'text-mode-hook #'eglot-ensure)

    (let ((default-directory root)
          (coding-system-for-read 'utf-8-unix))
      (find-file file))
    ;; eglot-ensure connects from post-command-hook, which batch mode never runs.
    (run-hooks 'post-command-hook)
    (copydesk-check (copydesk-wait (lambda () (eglot-current-server))) "eglot connected")
    (copydesk-check (eq major-mode 'text-mode) (format "major mode %s" major-mode))
    (copydesk-log "eglot %s, server %s" (if (boundp 'eglot--version) eglot--version "1.9")
                  (jsonrpc-name (eglot-current-server)))

    ;; Columns in characters (code points): "2KM" on line 3 starts at 34 (the emoji and
    ;; each combining mark count one), "3 KM" at 53.
    (when (copydesk-wait-count 3 "open")
      (copydesk-check-positions '((3 34 3 37) (3 53 3 57) (5 8 5 11)) "open"))

    ;; The preferred quick fix for the first problem (what `M-x eglot-code-actions'
    ;; offers as the default), applied by eglot's own code.
    (goto-char (point-min))
    (forward-line 2)
    (forward-char 35)
    (let* ((actions (eglot-code-actions (point) (1+ (point)) "quickfix"))
           (preferred (seq-find (lambda (a) (eq (plist-get a :isPreferred) t)) actions)))
      (copydesk-log "quick fixes offered: %S" (mapcar (lambda (a) (plist-get a :title)) actions))
      (when (copydesk-check preferred "a preferred quick fix")
        (eglot--read-execute-code-action (list preferred) (eglot-current-server) "quickfix")))
    (copydesk-check (equal (copydesk-line 3) want3) (format "quick fix: line 3 is %S" (copydesk-line 3)))
    (when (copydesk-wait-count 2 "after quick fix")
      (copydesk-check-positions '((3 54 3 58) (5 8 5 11)) "after quick fix"))

    ;; Fix all: the `source.fixAll.copydesk' code action over the buffer.
    (eglot-code-actions (point-min) (point-max) "source.fixAll.copydesk" t)
    (copydesk-check (string= (buffer-substring-no-properties (point-min) (point-max))
                             (concat "Tin giao thông\n\n"
                                     (replace-regexp-in-string "3 KM" "3 km" want3 t t)
                                     "\n\nCách bờ 5 km.\n"))
                    (format "fix all: buffer is %S" (encode-coding-string (buffer-string) 'utf-8)))
    (when (copydesk-wait-count 0 "after fix all")
      (copydesk-log "positions: after fix all: no diagnostics"))

    ;; Shut down with the messages `eglot-shutdown' sends (shutdown, then exit), but let
    ;; the server end by itself: on Emacs 28's jsonrpc.el, `eglot-shutdown' calls
    ;; `jsonrpc-shutdown', which runs `delete-process' (SIGKILL) right after sending
    ;; `exit' without waiting, so the log says "Server exited with status 9" however
    ;; quickly the server exits. Here the server must exit on its own, with code 0.
    (let* ((server (eglot-current-server))
           (proc (jsonrpc--process server)))
      (setf (eglot--shutdown-requested server) t)
      (jsonrpc-request server :shutdown nil :timeout 5)
      (jsonrpc-notify server :exit nil)
      (copydesk-check (copydesk-wait (lambda () (not (process-live-p proc))) 5)
                      "the server exits by itself after shutdown and exit")
      (copydesk-check (and (eq (process-status proc) 'exit) (= (process-exit-status proc) 0))
                      (format "the server's exit: %s %s, want exit 0"
                              (process-status proc) (process-exit-status proc)))
      (copydesk-log "server exit after shutdown and exit: %s %s (stdin still open)"
                    (process-status proc) (process-exit-status proc))
      ;; What is left of the connection (buffers); the sentinel has already run.
      (jsonrpc-shutdown server t))
    (set-buffer-modified-p nil)))

(defun copydesk-line (n)
  (save-excursion
    (goto-char (point-min))
    (forward-line (1- n))
    (buffer-substring-no-properties (line-beginning-position) (line-end-position))))

(condition-case err
    (copydesk-test)
  (error (setq copydesk-failed (1+ copydesk-failed))
         (copydesk-log "FAIL: %s" (error-message-string err))))
(copydesk-log "emacs: %d passed, %d failed" copydesk-passed copydesk-failed)
(kill-emacs (if (= copydesk-failed 0) 0 1))
