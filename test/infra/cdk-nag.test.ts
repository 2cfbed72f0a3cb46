import { describe, expect, it } from 'vitest';
import { synthPlatform } from './synth-platform';

/**
 * cdk-nag 3 runs as a CDK policy-validation plugin (registered with `Validations.of(app).addPlugins`) and
 * reports into the assembly's validation-report.json rather than as annotations: acknowledged findings move
 * to `suppressedViolations`, everything else stays in `violations`, errors and warnings alike.
 */
describe.each(['sim', 'eum'])('cdk-nag AwsSolutions (carrier=%s)', (carrier) => {
  // Act
  const { violations, pluginNames } = synthPlatform({ carrier });

  it('ran', () => {
    // Assert
    expect(pluginNames).toContain('AwsSolutions');
  });

  it('leaves no unacknowledged error or warning', () => {
    // Assert
    const listed = violations.map(
      (v) =>
        `${v.plugin} ${v.severity} ${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`,
    );
    expect(listed).toEqual([]);
  });
});
