package provider

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

// Live mode runs the acceptance tests against an Authing reached only through its API: the
// one named by AUTHING_HOST and the access key variables, when AUTHING_LIVE=1 asks for it by
// name. Tests that need the in-process emulator skip, each with the reason in liveSkips; the
// TestAccLive_ tests run, and write what the server answered where Authing's documentation
// is silent to the report (live_report_test.go).

const (
	envLive         = "AUTHING_LIVE"
	envLiveReceiver = "AUTHING_LIVE_RECEIVER_URL"
	envLiveReport   = "AUTHING_LIVE_REPORT"

	// testNamePrefix starts the name of every webhook a live test creates. The sweeper
	// deletes webhooks whose whole name is testNamePrefix, eight hex digits and an optional
	// "-role", and nothing else.
	testNamePrefix = "tf-acc-authing-"

	// liveRequestBudget caps the requests the tests' own API client sends in one run; the
	// provider's requests are bounded by the steps (CONTRIBUTING.md, "Live mode: testing
	// against your own Authing user pool").
	liveRequestBudget = 150
	// liveRequestInterval spaces the tests' own requests: at most 20 a second, far below
	// the 300 a second Authing allows a user pool.
	liveRequestInterval = 50 * time.Millisecond
)

// liveTarget is the server of a live run.
type liveTarget struct {
	host, keyID, secret string
	// receiver is AUTHING_LIVE_RECEIVER_URL, empty when unset.
	receiver string
}

// liveRun is set by TestMain in live mode.
var liveRun struct {
	target *liveTarget
	api    *liveAPI
}

func liveEnabled() bool { return os.Getenv(envLive) == "1" }

// liveTargetFromEnv reads the target, naming every variable that is missing.
func liveTargetFromEnv() (*liveTarget, error) {
	t := &liveTarget{
		host: os.Getenv(EnvHost), keyID: os.Getenv(EnvAccessKeyID), secret: os.Getenv(EnvAccessKeySecret),
		receiver: os.Getenv(envLiveReceiver),
	}
	var missing []string
	for name, v := range map[string]string{EnvHost: t.host, EnvAccessKeyID: t.keyID, EnvAccessKeySecret: t.secret} {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return nil, fmt.Errorf("live mode needs %s, %s and %s; not set: %s", EnvHost, EnvAccessKeyID, EnvAccessKeySecret, strings.Join(missing, ", "))
	}
	host, err := authing.ParseHost(t.host)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", EnvHost, err)
	}
	t.host = host
	if t.receiver != "" {
		u, err := url.Parse(t.receiver)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return nil, fmt.Errorf("%s must be an absolute http or https URL", envLiveReceiver)
		}
	}
	return t, nil
}

// runTests runs the package's tests; in live mode it first checks the target and writes
// the report after them.
func runTests(m *testing.M) int {
	if !liveEnabled() {
		return m.Run()
	}
	target, err := liveTargetFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	liveRun.target, liveRun.api = target, newLiveAPI(target)
	code := m.Run()
	if err := writeLiveReport(); err != nil {
		fmt.Fprintln(os.Stderr, "live report:", err)
		return max(code, 1)
	}
	return code
}

// requireLive skips a live test outside live mode and returns the run's target and client.
func requireLive(t *testing.T) (*liveTarget, *liveAPI) {
	t.Helper()
	if !liveEnabled() {
		t.Skip("a live-mode test: run it with make testacc-live or make testacc-live-emulator")
	}
	return liveRun.target, liveRun.api
}

// requireReceiver skips a test that needs a delivery when no receiver is configured.
func requireReceiver(t *testing.T, target *liveTarget) string {
	t.Helper()
	if target.receiver == "" {
		t.Skipf("needs a delivery: set %s to a receiver Authing can reach", envLiveReceiver)
	}
	return target.receiver
}

// liveSkips says, for every test that uses the in-process emulator, why live mode skips it.
// newTestEnv asks; a test missing here fails in live mode, so that every skip has a reason.
var liveSkips = map[string]string{
	"TestAccReplay_exactlyOnceUnderChaos":                                "injects faults at the emulator and emits real events",
	"TestAccReplay_lostAnswerIsSettledFromTheLogs":                       "loses a replay's answer at the emulator and emits real events",
	"TestAccReplay_maxAndDryRunSendNothing":                              "emits real events at the emulator and counts its deliveries",
	"TestAccReplay_whatFailedWhileTheReceiverWasDown":                    "takes the emulator's receiver down and emits real events",
	"TestReplayAction_anyLogOrder":                                       "plays the emulator's log orders",
	"TestReplayAction_beginsNoReplayItCannotFinish":                      "emits real events at the emulator",
	"TestReplayAction_endpointFailureUnconfirmedByTheLogsIsAFailure":     "injects Authing's endpoint-failure codes at the emulator",
	"TestReplayAction_maxAndDryRun":                                      "emits real events at the emulator and counts its deliveries",
	"TestReplayAction_planChecksEventNames":                              "seeds a webhook through the emulator",
	"TestReplayAction_refusedReplayIsReplayedNextTime":                   "injects a refusal at the emulator",
	"TestReplayAction_replaysEachFailedEventOnce":                        "takes the emulator's receiver down and emits real events",
	"TestReplayAction_settlesALostAnswer":                                "loses a replay's answer at the emulator",
	"TestReplayAction_skipsTestsFiringsAndReplays":                       "emits real events and test deliveries at the emulator",
	"TestReplayAction_unknownWebhookIsAnError":                           "seeds webhooks through the emulator",
	"TestReplayAction_validate":                                          "seeds a webhook through the emulator",
	"TestRetryStopsWhenTheNextAttemptCannotStartInTime":                  "delivers to a receiver of its own that fails its first deliveries",
	"TestAccCLI_failedPostconditionKeepsTheFiring":                       "sets the answer of the emulator's receiver",
	"TestActionReportsEachAttempt":                                       "delivers to a receiver of its own that fails its first deliveries",
	"TestRetryFiresAgainAfterAKnownFailure":                              "delivers to a receiver of its own that fails its first deliveries",
	"TestWithoutStatusCodesNoLogsAreRead":                                "counts the emulator's log reads",
	"TestRetriesThatRunOutListEveryAttempt":                              "delivers to a receiver of its own",
	"TestUnknownStatusIsNeverAPassNorRetried":                            "plays logs that never show a delivery",
	"TestRetryAfterALostAnswer":                                          "loses answers and refuses log reads at the emulator",
	"TestRetryEndsAtARefusedRequest":                                     "injects a refusal at the emulator",
	"TestEndpointFailureCodesAreKnownFailures":                           "injects Authing's endpoint-failure codes at the emulator",
	"TestAccWebhookTrigger_unmetExpectLeavesNoState":                     "delivers to a receiver of its own whose answer it changes",
	"TestAccWebhookTrigger_statusCodeFromTheLogs":                        "uses the emulator's receiver to answer given statuses",
	"TestAccWebhookTrigger_retryUntilLive":                               "delivers to a receiver of its own that fails its first deliveries",
	"TestAccWebhookTrigger_endpointFailureStyles":                        "plays both endpoint-failure styles at the emulator",
	"TestAccWebhookTrigger_retryNeverAfterMayHaveFired":                  "loses answers and refuses log reads at the emulator",
	"TestAccWebhookTrigger_badExpectAndRetryRefused":                     "counts the emulator's requests",
	"TestAccCLI_actionExpectAndRetry":                                    "delivers to a receiver of its own that fails its first deliveries",
	"TestFireDoesNotRecordAFailedDelivery":                               "adds a webhook through the emulator",
	"TestCreateSettlesOnlyWhatMayHaveTakenEffect":                        "loses a create's answer at the emulator and counts its requests",
	"TestSettleFiringSaysWhatItLookedAt":                                 "refuses log reads at the emulator",
	"TestFireSettlesOnlyWhatMayHaveTakenEffect":                          "loses an answer at the emulator and counts its requests",
	"TestEventListFailureIsAnErrorAndNotKept":                            "injects a failure on the emulator's event list",
	"TestAccWebhooksDataSource_stalledServerTimesOut":                    "injects a stalled answer at the emulator",
	"TestConcurrentPlansShareOneReadOfTheEventList":                      "counts the emulator's requests",
	"TestASharedEventListReadOutlivesItsFirstCaller":                     "injects a slow answer into the emulator and counts its requests",
	"TestAnErrorQuotingTheRequestHidesItsSecrets":                        "injects a refusal into the emulator",
	"TestRecordedResponseHidesEchoedCredentials":                         "its endpoint must be reachable from the emulator (a local echo server)",
	"TestAnAnswerThatFailsIsKnownWithoutItsStatus":                       "delays the emulator's logs",
	"TestActionPlanRefusesOwnIdempotencyKeyWithStatusCodes":              "a protocol-level plan that calls no API; nothing to check live",
	"TestStatusReadFromTheLogsOfAFailedDelivery":                         "injects Authing errors into the emulator",
	"TestEveryReadOfAStalledServerEndsAtItsTimeout":                      "injects stalled answers at the emulator",
	"TestWriteOnlySecretIsSentByTheApplyThatBringsItIn":                  "reads the secret the emulator holds",
	"TestAccWebhookTrigger_emptyMapIsNoMap":                              "counts deliveries at the emulator",
	"TestAccWebhook_switchToWriteOnlySecret":                             "reads the secret the emulator holds",
	"TestActionInvokeEveryInputCombination":                              "counts deliveries at the emulator",
	"TestActionValidateHeaderWithoutValue":                               "seeds a webhook through the emulator",
	"TestActionProgressShowsCommonHeaderValues":                          "seeds a webhook through the emulator",
	"TestAccCLI_brokenJSONNeverPrintsTheValue":                           "seeds a webhook through the emulator and counts its deliveries",
	"TestAccCLI_echoedSecretReachesNoStateNorOutput":                     "points webhooks at an echo server on the test's loopback, which a real Authing cannot reach",
	"TestAccWebhookTrigger_lifecycleDestroyFalseForgetsWithoutTeardown":  "counts deliveries at the emulator",
	"TestAccWebhookLogs_documentedFormatOldestFirst":                     "plays an oldest-first log server; the report records the live order and format",
	"TestAccCLI_actionInvokeEveryInputCombination":                       "counts deliveries at the emulator",
	"TestAccWebhookTriggerAction_everyInputCombinationFromActionTrigger": "counts deliveries at the emulator",
	"TestAccWebhookTriggerAction_destroyEvents":                          "counts deliveries at the emulator",
	"TestAccCLI_actionOnFailure":                                         "injects faults at the emulator",
	"TestAccCLI_actionCallerAndInvokeWithTarget":                         "counts deliveries at the emulator",
	"TestAccWebhook_refusedDeleteKeepsTheState":                          "plays a server that refuses deletes",
	"TestAccChaos_exactlyOnceUnderFaults":                                "injects faults on every route of the emulator and reads its receiver",
	"TestAccSettle_lostFiringIsRecordedOnce":                             "loses an answer at the emulator and plays logs that lag",
	"TestAccSettle_unreadableLogsLeaveMayHaveFired":                      "loses an answer and refuses log reads at the emulator",
	"TestAccSettle_lostTeardownAndActionFirings":                         "loses answers at the emulator",
	"TestAccSettle_lostCreateIsAdoptedAndTheHappyPathCostsNothing":       "loses a create's answer and counts requests at the emulator",
	"TestAccSettle_ambiguousCreateNamesEveryCandidate":                   "adds webhooks through the emulator and loses a create's answer",
	"TestAccCLI_noSecretsAnywhere":                                       "injects a failure at the emulator and reads the tokens it issued",
	"TestAccCLI_parallelApplyOfManyTriggers":                             "seeds 200 webhooks and counts the emulator's requests",
	"TestAccCLI_interruptedApply":                                        "injects a slow answer at the emulator",
	"TestAccCLI_tokenExpiresBetweenPlanAndApplyAndMidApply":              "expires tokens at the emulator",
	"TestAccCLI_actionInvoke":                                            "counts deliveries at the emulator; TestAccLive_action is its live form",
	"TestAccWebhookTrigger_exactlyOnceUnderFaults":                       "injects faults at the emulator",
	"TestAccProvider_missingCredentials":                                 "counts deliveries at the emulator",
	"TestAccProvider_environmentAndPrecedence":                           "lists a pool that holds only its own webhooks",
	"TestAccProvider_unknownConfiguration":                               "seeds a webhook through the emulator",
	"TestAccProvider_wrongCredentials":                                   "needs a server whose accepted keys it knows",
	"TestAccWebhooks_everyWebhookListedWhenPagesAreSmall":                "plays a server variant (10 webhooks a page) and lists the whole pool",
	"TestAccWebhook_driftRecreatedUnderBothNotFoundStyles":               "plays both not-found styles; the report records the live one",
	"TestAccWebhook_routeMissIsAnErrorNotADeletion":                      "makes a route missing at the emulator",
	"TestAccWebhook_unknownIDIsRefusedOnImportAndRead":                   "plays both not-found styles; the report records the live one",
	"TestAccWebhook_retryConfig":                                         "reads the retry configuration the emulator holds",
	"TestAccWebhookLogs_latestDeliveriesWithoutTheSecret":                "plays both log orders; TestAccLive_deliveryLogs is its live form",
	"TestAccBadInputIsRefusedEarly":                                      "counts the emulator's requests to prove none was sent",
	"TestAccWebhookDataSource":                                           "seeds a webhook through the emulator; TestAccLive_webhookLifecycle is its live form",
	"TestAccWebhookEventsDataSource":                                     "compares with the emulator's event list; TestAccLive_webhookLifecycle reads the live one",
	"TestAccWebhook_identityAndImportBlocks":                             "reads the emulator; TestAccLive_identity is its live form",
	"TestAccWebhook_query":                                               "plays a server variant and lists the whole pool; TestAccLive_query is its live form",
	"TestCLIQueryGeneratedConfigImportsWithoutChanges":                   "imports every webhook of the pool",
	"TestListResourceWebhooks":                                           "plays a server variant and counts the emulator's requests",
	"TestAccWebhook_createUpdateImport":                                  "reads the webhook as the emulator holds it; TestAccLive_webhookLifecycle is its live form",
	"TestAccWebhook_eventNames":                                          "counts the webhooks the emulator holds",
	"TestAccWebhook_writeOnlySecret":                                     "reads the secret the emulator holds",
	"TestAccWebhook_createFireAndCheck":                                  "counts deliveries at the emulator; TestAccLive_trigger is its live form",
	"TestFrameworkStillRefusesWriteOnlyActionValues":                     "seeds a webhook through the emulator",
	"TestActionValidateAndPlan":                                          "counts the emulator's requests",
	"TestActionInvokeFiresOnceAndReportsProgress":                        "counts deliveries at the emulator",
	"TestActionInvokeFailures":                                           "injects faults at the emulator",
	"TestActionInvokeWithoutCredentials":                                 "counts the emulator's requests",
	"TestAccWebhookTriggerAction_actionTrigger":                          "counts deliveries at the emulator; TestAccLive_action is its live form",
	"TestAccWebhookTriggerAction_ephemeralHeader":                        "reads what the emulator's receiver got",
	"TestAccWebhookTrigger_onDestroy":                                    "reads what the emulator's receiver got; TestAccLive_onDestroy is its live form",
	"TestAccWebhookTrigger_destroyWithoutOnDestroyIsSilent":              "counts deliveries at the emulator",
	"TestAccWebhookTrigger_teardownFault":                                "injects faults at the emulator",
	"TestAccWebhookTrigger_listTakeFirstAndTrigger":                      "triggers the first webhook of the pool, which in live mode may not be its own",
	"TestAccWebhookTrigger_refiresOnlyOnRealChanges":                     "counts deliveries at the emulator; TestAccLive_trigger is its live form",
	"TestAccWebhookTrigger_unchangedPlanMakesNoAPICall":                  "counts the emulator's requests",
	"TestAccWebhookTrigger_failureLeavesNoState":                         "injects faults at the emulator",
	"TestAccWebhookTrigger_unknownWebhook":                               "needs a server whose webhooks it knows",
	"TestAccWebhookTrigger_unknownInputsAtPlan":                          "counts deliveries at the emulator",
	"TestAccWebhookTrigger_importIsRefused":                              "seeds a webhook through the emulator",
	"TestAccWebhookTrigger_badInputKnownOnlyAtApply":                     "counts the emulator's requests to prove none was sent",
	"TestAccWebhooksDataSource_pagination":                               "seeds 123 webhooks and lists the whole pool",
	"TestAccWebhooksDataSource_filters":                                  "lists a pool that holds only its own webhooks",
	"TestAccWebhooksDataSource_invalidRegex":                             "counts the emulator's requests to prove none was sent",
	"TestAccWebhooksDataSource_listFailure":                              "injects a failure at the emulator",
	"TestSweeperDeletesOnlyTestWebhooks":                                 "runs the sweeper against its own emulator with foreign webhooks",
	"TestAccWebhooksDataSource_eventFilterIsChecked":                     "counts the emulator's list requests",
	"TestAccWebhookDataSource_byName":                                    "adds webhooks with the same name through the emulator",
	"TestAccWebhookLogs_minCountWaitsForLaggingLogs":                     "plays logs that lag and are listed out of order",
	"TestAccWebhookLogs_filtersAndWhatAFailedWaitSaw":                    "adds a webhook through the emulator and counts its log reads",
	"TestAccCLI_wrongCredentialsFailThePlan":                             "plays wrong credentials against the emulator and a closed port",
	"TestAccCLI_importWithoutAnIDSaysHow":                                "counts the emulator's requests",
	"TestAccDocs_snippetsRunAsWritten":                                   "applies the documentation's snippets to an emulator holding the webhooks they name",
	"TestAccInstall_documentedPathFromAClone":                            "installs into its own GOBIN and starts its own emulator",
	"TestAccDemo_printsNoWarningLines":                                   "runs make demo, which starts its own emulator",
}

// liveSkipped records the tests live mode skipped, for the report.
var liveSkipped = struct {
	sync.Mutex
	reasons map[string]string
}{reasons: map[string]string{}}

// skipIfLive skips, in live mode, a test that uses the in-process emulator, with the reason
// liveSkips gives for it.
func skipIfLive(t *testing.T) {
	t.Helper()
	if !liveEnabled() {
		return
	}
	name, _, _ := strings.Cut(t.Name(), "/")
	reason, ok := liveSkips[name]
	if !ok {
		t.Fatalf("%s uses the in-process emulator, and liveSkips gives no reason to skip it in live mode", name)
	}
	liveSkipped.Lock()
	liveSkipped.reasons[name] = reason
	liveSkipped.Unlock()
	t.Skip("live mode: " + reason)
}

// liveName is the name of a webhook a test creates: the prefix the sweeper knows, a unique
// suffix, and role.
func liveName(t *testing.T, role string) string {
	t.Helper()
	return testNamePrefix + randomHex(t, 4) + "-" + role
}

func randomHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// Every test liveSkips names exists, so that the reasons stay true as tests move; and every
// test that starts an in-process emulator, itself or through a helper, has a reason there,
// so that live mode does not fail on a test added without one.
func TestLiveSkipsNameExistingTests(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	calls := map[string][]string{} // top-level function -> the functions it calls by name
	for _, f := range files {
		file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok {
					if id, ok := call.Fun.(*ast.Ident); ok {
						calls[fn.Name.Name] = append(calls[fn.Name.Name], id.Name)
					}
				}
				return true
			})
			if _, ok := calls[fn.Name.Name]; !ok {
				calls[fn.Name.Name] = nil
			}
		}
	}
	starts := map[string]bool{"newTestEnv": true}
	for changed := true; changed; {
		changed = false
		for name, callees := range calls {
			if !starts[name] && slices.ContainsFunc(callees, func(c string) bool { return starts[c] }) {
				starts[name], changed = true, true
			}
		}
	}
	for name := range calls {
		if strings.HasPrefix(name, "Test") && starts[name] && liveSkips[name] == "" && !strings.HasPrefix(name, "TestAccLive_") {
			t.Errorf("%s starts an in-process emulator, and liveSkips gives no reason to skip it in live mode", name)
		}
	}
	for name := range liveSkips {
		if _, ok := calls[name]; !ok || !strings.HasPrefix(name, "Test") {
			t.Errorf("liveSkips names %s, which is not a test of this package", name)
		}
	}
}
