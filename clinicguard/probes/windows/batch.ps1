# clinicguard: Windows facts in one PowerShell run, printed as one JSON document.
# Every section runs in its own try/catch so that one failure does not lose the rest.
# No double quotes: the script travels on the command line.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
try { [Console]::OutputEncoding = [Text.Encoding]::UTF8 } catch {}
$out = [ordered]@{ clinicguard = 1 }
function Section($name, [scriptblock]$body) {
  try { $out[$name] = @(& $body) } catch { $out[$name] = @{ error = [string]$_.Exception.Message; id = [string]$_.FullyQualifiedErrorId } }
}
$elevated = $false
try { $elevated = ([Security.Principal.WindowsPrincipal][Security.Principal.WindowsIdentity]::GetCurrent()).IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator) } catch {}
$out['meta'] = @{ ps = [string]$PSVersionTable.PSVersion; language_mode = [string]$ExecutionContext.SessionState.LanguageMode; elevated = $elevated }
Section 'local_users' { Get-LocalUser | ForEach-Object { @{ name = [string]$_.Name; enabled = [bool]$_.Enabled; password_required = [bool]$_.PasswordRequired; sid = [string]$_.SID.Value; source = [string]$_.PrincipalSource } } }
Section 'admins' {
  try { Get-LocalGroupMember -SID 'S-1-5-32-544' | ForEach-Object { @{ name = [string]$_.Name; sid = [string]$_.SID.Value; class = [string]$_.ObjectClass } } }
  catch {
    $g = Get-CimInstance Win32_Group -Filter 'LocalAccount=True AND SID=''S-1-5-32-544'''
    ([ADSI]('WinNT://' + $env:COMPUTERNAME + '/' + $g.Name + ',group')).Invoke('Members') | ForEach-Object {
      $m = [ADSI]$_
      @{ name = [string]$m.Name; sid = [string](New-Object Security.Principal.SecurityIdentifier($m.objectSid.Value, 0)).Value; class = [string]$m.Class }
    }
  }
}
# Products carry their identity (instance GUID, signed executables): Defender is told apart by it, never by name.
function WscProduct($p) { @{ name = [string]$p.displayName; state = [int64]$p.productState; guid = [string]$p.instanceGuid; product_exe = [string]$p.pathToSignedProductExe; reporting_exe = [string]$p.pathToSignedReportingExe } }
Section 'av_products' { Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName AntiVirusProduct | ForEach-Object { WscProduct $_ } }
Section 'fw_products' { Get-CimInstance -Namespace 'root/SecurityCenter2' -ClassName FirewallProduct | ForEach-Object { WscProduct $_ } }
Section 'defender' {
  $m = Get-MpComputerStatus
  @{ mode = [string]$m.AMRunningMode; service = [bool]$m.AMServiceEnabled; antivirus = [bool]$m.AntivirusEnabled; realtime = [bool]$m.RealTimeProtectionEnabled; tamper = $m.IsTamperProtected; signature_age = [int]$m.AntivirusSignatureAge; outdated = [bool]$m.DefenderSignaturesOutOfDate }
}
Section 'firewall' { Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object { @{ name = [string]$_.Name; enabled = [string]$_.Enabled; inbound = [string]$_.DefaultInboundAction } } }
Section 'bitlocker' {
  $shell = New-Object -ComObject Shell.Application
  Get-CimInstance Win32_LogicalDisk -Filter 'DriveType=3' | ForEach-Object {
    $value = $null
    try { $value = $shell.NameSpace([string]$_.DeviceID).Self.ExtendedProperty('System.Volume.BitLockerProtection') } catch {}
    @{ drive = [string]$_.DeviceID; protection = $value }
  }
}
Section 'bitlocker_admin' {
  if (-not $elevated) { @{ skipped = 'needs_admin' } }
  else { Get-BitLockerVolume | ForEach-Object { @{ drive = [string]$_.MountPoint; volume_status = [string]$_.VolumeStatus; protection = [string]$_.ProtectionStatus; percent = [double]$_.EncryptionPercentage } } }
}
Section 'secpol' {
  if (-not $elevated) { @{ skipped = 'needs_admin' } }
  else {
    $file = Join-Path $env:TEMP ('clinicguard-' + [guid]::NewGuid().ToString() + '.inf')
    try {
      secedit /export /cfg $file /areas SECURITYPOLICY | Out-Null
      @{ lines = @(Get-Content -LiteralPath $file | Where-Object { $_ -match '^(PasswordComplexity|MinimumPasswordLength|LockoutBadCount)\s*=' }) }
    } finally { Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue }
  }
}
Section 'wbadmin' {
  if (-not $elevated) { @{ skipped = 'needs_admin' } }
  else { @{ versions = @(wbadmin get versions | Select-String -Pattern '\d{2}/\d{2}/\d{4}-\d{2}:\d{2}' | ForEach-Object { $_.Matches[0].Value }) } }
}
Section 'computer' { $c = Get-CimInstance Win32_ComputerSystem; @{ part_of_domain = [bool]$c.PartOfDomain } }
Section 'chassis' { @{ types = @((Get-CimInstance Win32_SystemEnclosure).ChassisTypes | ForEach-Object { [int]$_ }) } }
Section 'power' { @{ standby = @(powercfg /q SCHEME_CURRENT SUB_SLEEP STANDBYIDLE); consolelock = @(powercfg /q SCHEME_CURRENT SUB_NONE CONSOLELOCK) } }
Section 'services' { Get-Service -Name @(__SERVICE_NAMES__) -ErrorAction SilentlyContinue | ForEach-Object { @{ name = [string]$_.Name; display = [string]$_.DisplayName; status = [string]$_.Status; start = [string]$_.StartType } } }
ConvertTo-Json -InputObject $out -Depth 4 -Compress
