/**
 * The dashboard of `overseer up` and `overseer top`: a live process table over any
 * `SupervisorApi`, with keys to select, fold, filter, sort and act. An action that fails says
 * why in the status line; nothing ends the dashboard but `q` and Ctrl-C.
 */
import { Box, useApp } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_DASHBOARD_SETTINGS } from '../core/dashboard-settings.js';
import type { ProcessInfo } from '../core/view.js';
import type { SupervisorApi } from '../protocol/api.js';
import type { WorkflowsApi } from '../protocol/workflows-api.js';
import { actionsOf } from './action-keys.js';
import { describeReach, SCOPES, type Scope } from './actions.js';
import { DeadLettersView } from './dead-letters-view.js';
import { DetailsView } from './details-view.js';
import { Footer, type StatusLine } from './footer.js';
import { FrameGateContext, frameGate } from './frame-gate.js';
import { Header } from './header.js';
import { HelpView } from './help-view.js';
import { type KeyRoute, useKeyRoute } from './key-route.js';
import { briefKeys, type Pane } from './keymap.js';
import { CHROME_LINES, layoutOf } from './layout.js';
import { LogPane } from './log-pane.js';
import { confirmed, editLine, type Prompt } from './prompt.js';
import { rowWindow } from './row-window.js';
import { StackView } from './stack-view.js';
import { type TableCommand, tableCommandOf } from './table-keys.js';
import { namespacesOf, SORT_KEYS, type Sort, type TableRow, tableRows } from './table-rows.js';
import { TasksView } from './tasks-view.js';
import { type Theme, themeOf } from './theme.js';
import { useKeys } from './use-keys.js';
import { useLatestState } from './use-latest-state.js';
import { useSampleHistory } from './use-sample-history.js';
import { useSupervisorView } from './use-supervisor-view.js';
import { useTerminalSize } from './use-terminal-size.js';
import { WorkflowsView } from './workflows-view.js';

export interface DashboardProps {
  readonly api: SupervisorApi;
  /** The project's durable workflows, for the runs (`w`) and dead letters (`d`). */
  readonly workflows?: WorkflowsApi;
  readonly project?: string;
  /** At most one read of the rows per this many ms (`settings.tui.refresh`). */
  readonly refreshMs?: number;
  /** Lines the log pane keeps in memory (`settings.tui.log_lines`). */
  readonly logLines?: number;
  /** The colours (`settings.tui.theme`), off when `NO_COLOR` is set. */
  readonly theme?: Theme;
  /**
   * What `q` and Ctrl-C do when the dashboard does not simply end: `up` stops the stack
   * (and forces it the second time), the dashboard staying up meanwhile.
   */
  readonly onQuit?: () => void;
  /** What its owner has to say above all else, for as long as it says it: `stopping the stack…`. */
  readonly notice?: StatusLine;
  /**
   * What its owner has to tell once, in the status line like an action's outcome (the next
   * one replaces it): each new object is told.
   */
  readonly told?: StatusLine;
  /** Rows already read, for the first frame: the stream's snapshot follows. */
  readonly initialProcesses?: readonly ProcessInfo[];
}

export function Dashboard({
  api,
  workflows,
  project,
  refreshMs = DEFAULT_DASHBOARD_SETTINGS.refreshMs,
  logLines = DEFAULT_DASHBOARD_SETTINGS.logLines,
  theme = themeOf(),
  onQuit,
  notice,
  told,
  initialProcesses,
}: DashboardProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize();
  // What the supervisor's answers change is drawn at most once per refresh, all together.
  const gate = useMemo(() => frameGate(refreshMs), [refreshMs]);
  useEffect(() => () => gate.dispose(), [gate]);
  const view = useSupervisorView(api, refreshMs, gate, initialProcesses);
  // What keys change is read by the next key as they left it (see use-latest-state.ts).
  const [pane, setPane, currentPane] = useLatestState<Pane>('table');
  const [selectedKey, setSelectedKey, currentKey] = useLatestState<string | undefined>(undefined);
  const [filter, setFilter] = useState('');
  const [namespace, setNamespace] = useState<string>();
  const [sort, setSort] = useState<Sort>({ key: 'config', reversed: false });
  const [unfolded, setUnfolded] = useState<ReadonlySet<string>>(new Set());
  const [scope, setScope, currentScope] = useLatestState<Scope>('selection');
  const [prompt, setPrompt, currentPrompt] = useLatestState<Prompt | undefined>(undefined);
  const [status, setStatus] = useState<StatusLine>();

  // A change of the config, and what the owner tells, said in the status line as an
  // action's outcome is.
  useEffect(() => {
    if (view.configOutcome !== undefined) setStatus(view.configOutcome);
  }, [view.configOutcome]);
  useEffect(() => {
    if (told !== undefined) setStatus(told);
  }, [told]);

  const typedFilter = prompt?.kind === 'filter' ? prompt.text : filter;
  const rows = tableRows(view.processes, { filter: typedFilter, namespace, sort, unfolded });
  const selectedIndex = Math.max(
    0,
    rows.findIndex((row) => row.key === selectedKey),
  );
  const selected: TableRow | undefined = rows[selectedIndex];
  const current = (): TableRow | undefined =>
    rows.find((row) => row.key === currentKey()) ?? rows[0];
  const choose = (index: number) => {
    if (rows.length === 0) return;
    setSelectedKey(rows[Math.min(rows.length - 1, Math.max(0, index))]!.key);
  };
  const indexOfCurrent = () => Math.max(0, rows.indexOf(current()!));
  const [zoomed, setZoomed] = useState(false);
  // Where `?` was pressed: Esc goes back there.
  const helpFrom = useRef<Pane>('table');
  const openHelp = () => {
    helpFrom.current = currentPane();
    setPane('help');
  };
  const logKeys = useKeyRoute();
  const detailsKeys = useKeyRoute();
  const tasksKeys = useKeyRoute();
  const workflowsKeys = useKeyRoute();
  const lettersKeys = useKeyRoute();
  const helpKeys = useKeyRoute();
  const [detailsName, setDetailsName] = useState<string>();
  // Fed by every set of rows, so the details' sparklines have a past when they open.
  const samples = useSampleHistory(view.processes);
  const back = () => setPane('table');
  const onStack = pane === 'table' || pane === 'logs';
  const layout = layoutOf(height, zoomed, rows.length);
  const room = layout.tableRows;
  // What a view in the table's place may fill: the table's lines and the log pane's.
  const viewHeight = Number.isFinite(height) ? Math.max(1, height - CHROME_LINES + 1) : 200;
  const shown = rowWindow(rows.length, selectedIndex, room);

  const { act, run } = actionsOf({
    api,
    currentRow: current,
    currentScope,
    ask: setPrompt,
    say: setStatus,
    refreshSoon: view.refreshSoon,
  });

  const fold = (unfold: boolean | 'toggle') => {
    const selected = current();
    const family = selected?.family === undefined ? undefined : selected.key;
    if (family === undefined) return;
    setUnfolded((current) => {
      const next = new Set(current);
      const open = unfold === 'toggle' ? !current.has(family) : unfold;
      if (open) next.add(family);
      else next.delete(family);
      return next;
    });
  };

  const quit = () => (onQuit === undefined ? exit() : onQuit());

  const carryOut = (command: TableCommand) => {
    switch (command.type) {
      case 'move':
        return choose(indexOfCurrent() + command.by);
      case 'page':
        return choose(indexOfCurrent() + command.by * Math.max(1, room));
      case 'edge':
        return choose(command.to === 'first' ? 0 : rows.length - 1);
      case 'open': {
        // A folded process unfolds, an unfolded one leads to its first instance; a process
        // or an instance opens its details.
        const row = current();
        if (row === undefined) return;
        if (row.family !== undefined && !row.family.unfolded) return fold(true);
        if (row.family !== undefined) return choose(rows.indexOf(row) + 1);
        setDetailsName(row.info.name);
        return setPane('details');
      }
      case 'fold':
        return fold(command.unfold);
      case 'filter':
        return setPrompt({ kind: 'filter', text: filter });
      case 'clear':
        setFilter('');
        return setNamespace(undefined);
      case 'namespace':
        return setNamespace((current) => nextOrNone(namespacesOf(view.processes), current));
      case 'sort':
        return setSort((current) => ({ key: nextOf(SORT_KEYS, current.key), reversed: false }));
      case 'reverse':
        return setSort((current) => ({ ...current, reversed: !current.reversed }));
      case 'act':
        return act(command.verb);
      case 'reach':
        return setScope((current) => nextOf(SCOPES, current));
      case 'help':
        return openHelp();
      case 'quit':
        return quit();
      case 'logs':
        return layout.logHeight > 0 ? setPane('logs') : undefined;
      case 'zoom':
        return setZoomed((current) => !current);
      case 'tasks':
      case 'workflows':
      case 'letters':
        return setPane(command.type);
    }
  };

  useKeys((input, key) => {
    if (key.ctrl && input === 'c') return quit();
    const asked = currentPrompt();
    if (asked !== undefined) return answer(asked, input, key);
    const showing = currentPane();
    const views: Partial<Record<Pane, KeyRoute>> = {
      details: detailsKeys,
      tasks: tasksKeys,
      workflows: workflowsKeys,
      letters: lettersKeys,
    };
    const viewKeys = views[showing];
    if (viewKeys !== undefined) {
      // The view has every key (a `q` may answer its question); Esc takes it back.
      return viewKeys.current?.(input, key);
    }
    if (showing === 'help') {
      if (helpKeys.current?.(input, key) === true) return;
      if (key.escape || input === '?' || input === 'q') setPane(helpFrom.current);
      return;
    }
    if (showing === 'logs') {
      // The pane first (a search being typed takes every key); the dashboard acts on what
      // the pane leaves. A screen too short for the pane gives the keys back to the table.
      const route = logKeys.current;
      if (route === undefined) setPane('table');
      else if (route(input, key) !== false) return;
      else if (key.tab || key.escape) return setPane('table');
      else if (input === 'z') return setZoomed((current) => !current);
      else if (input === 'q') return quit();
      else if (input === '?') return openHelp();
      else return;
    }
    const command = tableCommandOf(input, key);
    if (command !== undefined) carryOut(command);
  });

  const answer = (asked: Prompt, input: string, key: Parameters<typeof editLine>[2]) => {
    if (asked.kind === 'confirm') {
      setPrompt(undefined);
      if (confirmed(input)) run(asked.verb, asked.reach);
      else
        setStatus({ text: `${asked.verb} ${describeReach(asked.reach)}: not done`, failed: false });
      return;
    }
    const edit = editLine(asked.text, input, key);
    if (edit.type === 'text') return setPrompt({ ...asked, text: edit.text });
    setPrompt(undefined);
    if (asked.kind === 'filter') return setFilter(edit.type === 'done' ? edit.text : '');
    if (edit.type === 'done') run(asked.verb, asked.reach, edit.text);
  };

  const context = [
    filter === '' ? '' : `filter: ${filter}`,
    namespace === undefined ? '' : `namespace: ${namespace}`,
    sort.key === 'config' && !sort.reversed
      ? ''
      : `sort: ${sort.key}${sort.reversed ? ' (reversed)' : ''}`,
    scope === 'selection'
      ? ''
      : `actions reach: ${scope === 'namespace' ? `namespace ${selected?.info.namespace ?? '-'}` : 'everything'}`,
  ].filter((part) => part !== '');

  return (
    <FrameGateContext.Provider value={gate}>
      <Box flexDirection="column" width={width}>
        <Header
          project={project}
          processes={view.processes}
          health={view.health}
          stats={view.stats}
          lost={view.lost}
          theme={theme}
        />
        <Box marginTop={1} flexDirection="column">
          {pane === 'help' ? (
            <HelpView height={viewHeight} theme={theme} keys={helpKeys} />
          ) : pane === 'details' && detailsName !== undefined ? (
            <DetailsView
              api={api}
              name={detailsName}
              history={samples.series(detailsName)}
              width={width}
              height={viewHeight}
              theme={theme}
              keys={detailsKeys}
              onBack={back}
              refreshMs={refreshMs}
            />
          ) : pane === 'tasks' ? (
            <TasksView
              api={api}
              width={width}
              height={viewHeight}
              theme={theme}
              refreshMs={refreshMs}
              keys={tasksKeys}
              onBack={back}
              onStatus={(text, failed) => setStatus({ text, failed })}
            />
          ) : pane === 'workflows' ? (
            <WorkflowsView
              workflows={workflows}
              width={width}
              height={viewHeight}
              theme={theme}
              refreshMs={refreshMs}
              keys={workflowsKeys}
              onBack={back}
              onLetters={() => setPane('letters')}
            />
          ) : pane === 'letters' ? (
            <DeadLettersView
              workflows={workflows}
              width={width}
              height={viewHeight}
              theme={theme}
              refreshMs={refreshMs}
              keys={lettersKeys}
              onBack={back}
              onRuns={() => setPane('workflows')}
              onStatus={(text, failed) => setStatus({ text, failed })}
            />
          ) : null}
          {/* Kept while another view shows, hidden: the log pane keeps its search and place. */}
          <Box flexDirection="column" display={onStack ? 'flex' : 'none'}>
            <StackView
              rows={rows}
              shown={shown}
              selected={selected}
              sort={sort}
              width={width}
              theme={theme}
              logs={
                layout.logHeight > 0 ? (
                  <LogPane
                    api={api}
                    name={selected?.target}
                    height={layout.logHeight}
                    width={width}
                    logLines={logLines}
                    refreshMs={refreshMs}
                    theme={theme}
                    keys={logKeys}
                    onStatus={(text) =>
                      setStatus(text === '' ? undefined : { text, failed: false })
                    }
                  />
                ) : null
              }
            />
          </Box>
        </Box>
        <Footer
          // What the owner says (the stack stopping) comes first; then a supervisor that
          // stops answering says more than the last action did.
          status={
            notice ??
            (view.refreshError === undefined || view.lost !== undefined
              ? status
              : { text: view.refreshError, failed: true })
          }
          prompt={prompt}
          context={context}
          keys={briefKeys(pane)}
          theme={theme}
        />
      </Box>
    </FrameGateContext.Provider>
  );
}

/** The item after `current`, the first after the last. */
function nextOf<T>(items: readonly T[], current: T): T {
  return items[(items.indexOf(current) + 1) % items.length]!;
}

/** The item after `current`, then none after the last (every namespace), then the first. */
function nextOrNone<T>(items: readonly T[], current: T | undefined): T | undefined {
  const index = current === undefined ? -1 : items.indexOf(current);
  return items[index + 1];
}
