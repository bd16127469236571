# clinicguard: Windows Update history, settings and the pending updates known from the last scan.
# Run in a second PowerShell, in parallel with batch.ps1: the offline search takes seconds.
# Every section runs in its own try/catch so that one failure does not lose the rest.
# No double quotes: the script travels on the command line.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try { [Console]::OutputEncoding = [Text.Encoding]::UTF8 } catch {}
$out = [ordered]@{ clinicguard = 1 }
function Section($name, [scriptblock]$body) {
  try { $out[$name] = @(& $body) } catch { $out[$name] = @{ error = [string]$_.Exception.Message; id = [string]$_.FullyQualifiedErrorId } }
}
$out['meta'] = @{ language_mode = [string]$ExecutionContext.SessionState.LanguageMode }
# Windows Update dates are UTC already (IUpdateHistoryEntry.Date, LastSearchSuccessDate).
Section 'wu_history' {
  $searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
  $count = [Math]::Min($searcher.GetTotalHistoryCount(), 400)
  if ($count -gt 0) {
    # Store apps and Defender signatures flood the history daily: skip them here (service id, KB)
    # so that the months of OS updates behind them still fit; Python decides what counts.
    $searcher.QueryHistory(0, $count) | Where-Object { $_.Operation -eq 1 -and [string]$_.ServiceID -ne '855e8a7c-ecb4-4ca3-b045-1dfa50104289' -and $_.Title -notmatch 'KB2267602|KB890830|KB4052623' } |
      Select-Object -First 60 | ForEach-Object {
        $cats = @(); try { $cats = @($_.Categories | ForEach-Object { [string]$_.CategoryID }) } catch {}
        @{ date = $_.Date.ToString('s') + 'Z'; title = [string]$_.Title; result = [int]$_.ResultCode; service = [string]$_.ServiceID; categories = $cats }
      }
  }
}
Section 'wu_settings' {
  $au = New-Object -ComObject Microsoft.Update.AutoUpdate
  $last = $null
  try { $last = $au.Results.LastSearchSuccessDate.ToString('s') + 'Z' } catch {}
  @{ notification_level = [int]$au.Settings.NotificationLevel; last_search = $last }
}
Section 'wu_pending' {
  $searcher = (New-Object -ComObject Microsoft.Update.Session).CreateUpdateSearcher()
  $searcher.Online = $false
  $result = $searcher.Search('IsInstalled=0 and Type=''Software'' and IsHidden=0')
  $result.Updates | ForEach-Object {
    @{ title = [string]$_.Title; severity = [string]$_.MsrcSeverity; categories = @($_.Categories | ForEach-Object { [string]$_.CategoryID }) }
  }
}
ConvertTo-Json -InputObject $out -Depth 4 -Compress
